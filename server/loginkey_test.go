package server

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// Every instance on one store reads the same login key; a malformed stored
// key is an error, not a fresh key.
func TestLoadOrCreateKeyShared(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := loadOrCreateKey(ctx, st, settingLoginKey)
	if err != nil || len(a) != 32 {
		t.Fatalf("first: %d bytes, %v", len(a), err)
	}
	b, err := loadOrCreateKey(ctx, st, settingLoginKey)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("second instance got another key (%v)", err)
	}
	if c, err := loadOrCreateKey(ctx, st, "other_key"); err != nil || bytes.Equal(a, c) {
		t.Fatalf("another setting shares the key (%v)", err)
	}
	if err := st.InTx(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, "short_key", "AAAA") }); err != nil {
		t.Fatal(err)
	}
	if k, err := loadOrCreateKey(ctx, st, "short_key"); err == nil {
		t.Fatalf("malformed stored key accepted: %d bytes", len(k))
	}
}
