package auditwebhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/ca"
	"github.com/openmobileauth/oma/server/store"
)

// settingKey holds the generated signing key (sealed under the master key
// when one is given).
const settingKey = "audit_webhook_key"

// keyAAD binds the sealed key to its purpose.
const keyAAD = "oma audit webhook signing key v1"

// ErrKeySealed: the stored key is sealed and no master key was given.
var ErrKeySealed = errors.New("auditwebhook: the store's audit webhook key is encrypted: give the master key (--master-key-file or OMA_MASTER_KEY)")

// ErrKeyFile: the key file is unreadable or too short.
var ErrKeyFile = errors.New("auditwebhook: the signing key file must hold at least 32 characters")

// KeyFromFile reads the operator's signing key (surrounding white space
// ignored; at least 32 characters).
func KeyFromFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("auditwebhook: signing key file: %w", err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < 32 {
		return "", ErrKeyFile
	}
	return k, nil
}

// KeyID names key in X-OMA-Key-Id: the first 8 bytes of its SHA-256, hex
// (a receiver holding two keys during a rotation picks the right one; the
// key itself is never sent).
func KeyID(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:8])
}

// LoadOrCreateKey returns the generated signing key kept in the store,
// creating it on first use: sealed under kek when kek is given (and an
// unsealed one sealed then), else stored as is. created reports a new key
// (the operator reads it with tokenserver audit-webhook key).
func LoadOrCreateKey(ctx context.Context, st store.Store, kek []byte) (key string, created bool, err error) {
	fresh := protocol.RandomToken(32)
	stored := fresh
	if kek != nil {
		if stored, err = ca.Seal(kek, []byte(fresh), keyAAD); err != nil {
			return "", false, err
		}
	}
	var cur string
	err = st.InTx(ctx, func(tx store.Tx) error {
		ok, err := tx.InsertSetting(ctx, settingKey, stored)
		if err != nil || ok {
			created = ok
			cur = stored
			return err
		}
		cur, err = tx.GetSetting(ctx, settingKey)
		if err != nil || ca.IsSealed(cur) || kek == nil {
			return err
		}
		// Stored before a master key was given: seal it now.
		sealed, err := ca.Seal(kek, []byte(cur), keyAAD)
		if err != nil {
			return err
		}
		plain := cur
		cur = sealed
		if err := tx.PutSetting(ctx, settingKey, sealed); err != nil {
			return err
		}
		key = plain
		return nil
	})
	if err != nil || key != "" {
		return key, created, err
	}
	if !ca.IsSealed(cur) {
		return cur, created, nil
	}
	if kek == nil {
		return "", false, ErrKeySealed
	}
	b, err := ca.Open(kek, cur, keyAAD)
	if err != nil {
		return "", false, err
	}
	return string(b), created, nil
}
