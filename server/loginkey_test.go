package server

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/atrest"
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
	a, err := loadOrCreateKey(ctx, st, settingLoginKey, atrest.New(nil))
	if err != nil || len(a) != 32 {
		t.Fatalf("first: %d bytes, %v", len(a), err)
	}
	b, err := loadOrCreateKey(ctx, st, settingLoginKey, atrest.New(nil))
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("second instance got another key (%v)", err)
	}
	if c, err := loadOrCreateKey(ctx, st, "other_key", atrest.New(nil)); err != nil || bytes.Equal(a, c) {
		t.Fatalf("another setting shares the key (%v)", err)
	}
	if err := st.InTx(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, "short_key", "AAAA") }); err != nil {
		t.Fatal(err)
	}
	if k, err := loadOrCreateKey(ctx, st, "short_key", atrest.New(nil)); err == nil {
		t.Fatalf("malformed stored key accepted: %d bytes", len(k))
	}
}

// With a master key the login key is stored sealed (the stored value holds
// neither the key nor its base64), an unsealed key from before is sealed in
// place and keeps its value, and the wrong or a missing master key is an
// error, not a fresh key.
func TestLoginKeySealed(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored := func() string {
		var v string
		if err := st.View(ctx, func(tx store.Tx) error { v, err = tx.GetSetting(ctx, settingLoginKey); return err }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	plain, err := loadOrCreateKey(ctx, st, settingLoginKey, atrest.New(nil))
	if err != nil || stored() != protocol.B64.EncodeToString(plain) {
		t.Fatalf("without a master key the key is stored as it is: %v", err)
	}
	kek := bytes.Repeat([]byte{7}, 32)
	k, err := loadOrCreateKey(ctx, st, settingLoginKey, atrest.New(kek))
	if err != nil || !bytes.Equal(k, plain) {
		t.Fatalf("after sealing the key changed (%v)", err)
	}
	v := stored()
	if !strings.HasPrefix(v, "kek1:") || strings.Contains(v, protocol.B64.EncodeToString(plain)) || bytes.Contains([]byte(v), plain) {
		t.Fatalf("stored login key not sealed: %q", v)
	}
	if k, err := loadOrCreateKey(ctx, st, settingLoginKey, atrest.New(kek)); err != nil || !bytes.Equal(k, plain) || stored() != v {
		t.Fatalf("reading the sealed key: %v", err)
	}
	if _, err := loadOrCreateKey(ctx, st, settingLoginKey, atrest.New(bytes.Repeat([]byte{8}, 32))); !errors.Is(err, atrest.ErrMasterKeyWrong) && (err == nil || !strings.Contains(err.Error(), "master key")) {
		t.Fatalf("wrong master key: %v", err)
	}
	if _, err := loadOrCreateKey(ctx, st, settingLoginKey, atrest.New(nil)); err == nil || !strings.Contains(err.Error(), "master key") {
		t.Fatalf("no master key for a sealed key: %v", err)
	}
	// A fresh key under a master key is sealed from the start.
	if _, err := loadOrCreateKey(ctx, st, "fresh_key", atrest.New(kek)); err != nil {
		t.Fatal(err)
	}
	var f string
	_ = st.View(ctx, func(tx store.Tx) error { f, err = tx.GetSetting(ctx, "fresh_key"); return err })
	if !strings.HasPrefix(f, "kek1:") {
		t.Fatalf("fresh key stored unsealed: %q", f)
	}
}
