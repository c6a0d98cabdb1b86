package ca

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

func caKeySetting(t *testing.T, st store.Store) string {
	t.Helper()
	ctx := context.Background()
	var v string
	if err := st.View(ctx, func(tx store.Tx) (err error) { v, err = tx.GetSetting(ctx, settingCAKey); return }); err != nil {
		t.Fatal(err)
	}
	return v
}

// Issue 11, item 11: with a master key the CA private key is stored
// encrypted (the stored value holds neither the key's base64 nor its DER
// bytes); the same key opens it again, no key or another key is a clear
// error, and a CA key stored unencrypted before is encrypted in place.
func TestCAKeyEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kek := make([]byte, MasterKeySize)
	_, _ = rand.Read(kek)
	ca, state, err := LoadOrCreate(ctx, st, kek)
	if err != nil || state != KeySealed {
		t.Fatalf("create: %v %v", state, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		t.Fatal(err)
	}
	stored := caKeySetting(t, st)
	if !strings.HasPrefix(stored, sealedPrefix) || strings.Contains(stored, protocol.B64.EncodeToString(der)) {
		t.Fatalf("stored CA key is not sealed: %.40s...", stored)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if bytes.Contains(raw, der[len(der)-32:]) {
		t.Fatal("the sealed value contains the private key bytes")
	}
	again, state, err := LoadOrCreate(ctx, st, kek)
	if err != nil || state != KeySealed || !again.key.Equal(ca.key) || string(again.Cert().Raw) != string(ca.Cert().Raw) {
		t.Fatalf("reopen with the key: %v %v", state, err)
	}
	if _, _, err := LoadOrCreate(ctx, st, nil); !errors.Is(err, ErrMasterKeyNeeded) {
		t.Fatalf("no master key: %v, want ErrMasterKeyNeeded", err)
	}
	other := make([]byte, MasterKeySize)
	_, _ = rand.Read(other)
	if _, _, err := LoadOrCreate(ctx, st, other); !errors.Is(err, ErrMasterKeyWrong) {
		t.Fatalf("wrong master key: %v, want ErrMasterKeyWrong", err)
	}
	if _, _, err := LoadOrCreate(ctx, st, kek[:16]); !errors.Is(err, ErrMasterKeyFormat) {
		t.Fatalf("short master key: %v", err)
	}

	// A store created without a key: plain, then sealed in place.
	st2, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	plain, state, err := LoadOrCreate(ctx, st2, nil)
	if err != nil || state != KeyPlain || isSealed(caKeySetting(t, st2)) {
		t.Fatalf("without a key: %v %v", state, err)
	}
	sealed, state, err := LoadOrCreate(ctx, st2, kek)
	if err != nil || state != KeyNowSealed || !sealed.key.Equal(plain.key) || !isSealed(caKeySetting(t, st2)) {
		t.Fatalf("sealing in place: %v %v", state, err)
	}
	if _, _, err := LoadOrCreate(ctx, st2, nil); !errors.Is(err, ErrMasterKeyNeeded) {
		t.Fatalf("after sealing, no key: %v", err)
	}
}

func TestParseMasterKey(t *testing.T) {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	for _, enc := range []string{base64.StdEncoding.EncodeToString(k) + "\n", base64.RawURLEncoding.EncodeToString(k), " " + hex.EncodeToString(k) + " "} {
		got, err := ParseMasterKey(enc)
		if err != nil || !bytes.Equal(got, k) {
			t.Fatalf("%q: %v", enc, err)
		}
	}
	for _, bad := range []string{"", "short", base64.StdEncoding.EncodeToString(k[:31]), hex.EncodeToString(append(k, 1))} {
		if _, err := ParseMasterKey(bad); !errors.Is(err, ErrMasterKeyFormat) {
			t.Fatalf("%q accepted", bad)
		}
	}
}
