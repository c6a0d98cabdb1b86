package server

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/ca"
	"github.com/openmobileauth/oma/server/store"
)

// settingLoginKey is the settings key of the login form's CSRF MAC key.
const settingLoginKey = "login_csrf_key"

// loadOrCreateKey returns the 32-byte key stored under setting, creating it
// on first use. Every instance on one store reads the same key (the first
// insert wins), so a form served by one instance is accepted by another.
// With a master key the stored value is sealed (server/atrest), and a key
// stored unsealed before is sealed now.
func loadOrCreateKey(ctx context.Context, st store.Store, setting string, keys *atrest.Keys) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	stored, err := keys.Seal(atrest.PurposeLoginKey, setting, protocol.B64.EncodeToString(fresh))
	if err != nil {
		return nil, err
	}
	var v string
	err = st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.InsertSetting(ctx, setting, stored); err != nil {
			return err
		}
		cur, err := tx.GetSetting(ctx, setting)
		if err != nil {
			return err
		}
		if v, err = keys.Open(atrest.PurposeLoginKey, setting, cur); err != nil {
			return err
		}
		if ca.IsSealed(cur) || !keys.Sealing() {
			return nil
		}
		sealed, err := keys.Seal(atrest.PurposeLoginKey, setting, cur)
		if err != nil {
			return err
		}
		return tx.PutSetting(ctx, setting, sealed)
	})
	if errors.Is(err, atrest.ErrMasterKeyNeeded) || errors.Is(err, atrest.ErrMasterKeyWrong) {
		return nil, errors.New("server: the login form key: " + err.Error())
	}
	if err != nil {
		return nil, err
	}
	k, err := protocol.B64.DecodeString(v)
	if err != nil || len(k) != 32 {
		return nil, errors.New("server: stored key " + setting + " is malformed")
	}
	return k, nil
}
