package atrest

import (
	"context"
	"errors"
	"fmt"

	"github.com/openmobileauth/oma/server/ca"
	"github.com/openmobileauth/oma/server/store"
)

// Purposes of sealed values (part of the associated data).
const (
	PurposeCallbackKey = "oma callback key v1"
	PurposeWebhookKey  = "oma identity provider webhook key v1"
	PurposeLoginKey    = "oma login CSRF key v1"
)

// Errors.
var (
	// ErrMasterKeyNeeded: a stored secret is sealed and no master key was
	// given.
	ErrMasterKeyNeeded = errors.New("the store's secrets are encrypted: give the master key (--master-key-file or OMA_MASTER_KEY)")
	// ErrMasterKeyWrong: the master key does not open a stored secret.
	ErrMasterKeyWrong = errors.New("the master key does not decrypt the store's secrets (wrong key?)")
)

// Keys seals and opens secrets under one master key (nil: none).
type Keys struct{ kek []byte }

// New returns the sealer of master key kek (32 bytes, or nil).
func New(kek []byte) *Keys { return &Keys{kek: kek} }

// Sealing reports whether values are sealed (a master key is given).
func (k *Keys) Sealing() bool { return k != nil && k.kek != nil }

func aad(purpose, row string) string { return purpose + "\x00" + row }

// Seal returns what to store for plain (the secret of purpose in row):
// sealed with a master key, plain without one.
func (k *Keys) Seal(purpose, row, plain string) (string, error) {
	if !k.Sealing() || plain == "" {
		return plain, nil
	}
	return ca.Seal(k.kek, []byte(plain), aad(purpose, row))
}

// Open returns the secret a stored value holds: an unsealed value as it is,
// a sealed one decrypted (ErrMasterKeyNeeded without a master key,
// ErrMasterKeyWrong when it does not open).
func (k *Keys) Open(purpose, row, stored string) (string, error) {
	if !ca.IsSealed(stored) {
		return stored, nil
	}
	if !k.Sealing() {
		return "", ErrMasterKeyNeeded
	}
	b, err := ca.Open(k.kek, stored, aad(purpose, row))
	if err != nil {
		return "", fmt.Errorf("%w (%s of %s)", ErrMasterKeyWrong, purpose, row)
	}
	return string(b), nil
}

// Counts says how many stored values SealStore changed.
type Counts struct{ CallbackKeys, WebhookKeys int }

// SealStore checks every stored callback and webhook key at start, in one
// transaction: with a master key it seals the unsealed ones (values from
// before the master key, or written by an admin command without it) and
// checks that the sealed ones open; without one it refuses a store that
// holds sealed values.
func (k *Keys) SealStore(ctx context.Context, st store.Store) (Counts, error) {
	var n Counts
	err := st.InTx(ctx, func(tx store.Tx) error {
		n = Counts{}
		clients, err := tx.ListAPIClients(ctx)
		if err != nil {
			return err
		}
		for _, c := range clients {
			sealed, changed, err := k.reseal(PurposeCallbackKey, c.ID, c.CallbackKey)
			if err != nil {
				return err
			}
			if changed {
				c.CallbackKey = sealed
				if err := tx.UpdateAPIClient(ctx, c); err != nil {
					return err
				}
				n.CallbackKeys++
			}
		}
		idps, err := tx.ListIdentityProviders(ctx, "")
		if err != nil {
			return err
		}
		for _, p := range idps {
			sealed, changed, err := k.reseal(PurposeWebhookKey, WebhookRow(p.AppID, p.ID), p.WebhookKey)
			if err != nil {
				return err
			}
			if changed {
				if err := tx.SetIdentityProviderWebhookKey(ctx, p.AppID, p.ID, sealed); err != nil {
					return err
				}
				n.WebhookKeys++
			}
		}
		return nil
	})
	return n, err
}

// reseal checks one stored value and returns its sealed form when it must
// be rewritten.
func (k *Keys) reseal(purpose, row, stored string) (string, bool, error) {
	if stored == "" {
		return "", false, nil
	}
	if ca.IsSealed(stored) {
		_, err := k.Open(purpose, row, stored)
		return "", false, err
	}
	if !k.Sealing() {
		return "", false, nil
	}
	sealed, err := k.Seal(purpose, row, stored)
	return sealed, err == nil, err
}

// WebhookRow names an identity provider's row in the associated data.
func WebhookRow(appID, id string) string { return appID + "/" + id }
