package server

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// settingLoginKey is the settings key of the login form's CSRF MAC key.
const settingLoginKey = "login_csrf_key"

// loadOrCreateKey returns the 32-byte key stored under setting, creating it
// on first use. Every instance on one store reads the same key (the first
// insert wins), so a form served by one instance is accepted by another.
func loadOrCreateKey(ctx context.Context, st store.Store, setting string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var v string
	err := st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.InsertSetting(ctx, setting, protocol.B64.EncodeToString(fresh)); err != nil {
			return err
		}
		var err error
		v, err = tx.GetSetting(ctx, setting)
		return err
	})
	if err != nil {
		return nil, err
	}
	k, err := protocol.B64.DecodeString(v)
	if err != nil || len(k) != 32 {
		return nil, errors.New("server: stored key " + setting + " is malformed")
	}
	return k, nil
}
