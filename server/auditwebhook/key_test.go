package auditwebhook

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server/ca"
	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
)

// The generated key: created once, the same on every later load (another
// instance), sealed under the master key (an unsealed one sealed when a
// master key arrives), refused without it or with another one. Both stores.
func TestLoadOrCreateKey(t *testing.T) {
	ctx := context.Background()
	urls := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "k.db")}
	if u, ok := storetest.PostgresURL(t); ok {
		urls["postgres"] = u
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			st, err := store.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			k1, created, err := LoadOrCreateKey(ctx, st, nil)
			if err != nil || !created || len(k1) < 32 {
				t.Fatalf("first: %q %t %v", k1, created, err)
			}
			k2, created, err := LoadOrCreateKey(ctx, st, nil)
			if err != nil || created || k2 != k1 {
				t.Fatalf("second: %t %v (same key: %t)", created, err, k2 == k1)
			}
			mk := []byte(strings.Repeat("m", 32))
			k3, _, err := LoadOrCreateKey(ctx, st, mk)
			if err != nil || k3 != k1 {
				t.Fatalf("with a master key: %v (same key: %t)", err, k3 == k1)
			}
			var stored string
			_ = st.View(ctx, func(tx store.Tx) error { stored, err = tx.GetSetting(ctx, settingKey); return err })
			if !ca.IsSealed(stored) || strings.Contains(stored, k1) {
				t.Fatalf("not sealed: %q", stored)
			}
			if _, _, err := LoadOrCreateKey(ctx, st, nil); !errors.Is(err, ErrKeySealed) {
				t.Fatalf("without the master key: %v", err)
			}
			if _, _, err := LoadOrCreateKey(ctx, st, []byte(strings.Repeat("x", 32))); !errors.Is(err, ca.ErrMasterKeyWrong) {
				t.Fatalf("another master key: %v", err)
			}
			if k4, _, err := LoadOrCreateKey(ctx, st, mk); err != nil || k4 != k1 {
				t.Fatalf("sealed, with the master key: %v", err)
			}
		})
	}
}

func TestKeyFromFile(t *testing.T) {
	dir := t.TempDir()
	short, long := filepath.Join(dir, "short"), filepath.Join(dir, "long")
	_ = os.WriteFile(short, []byte("too-short\n"), 0o600)
	_ = os.WriteFile(long, []byte("  "+strings.Repeat("a", 40)+"\n"), 0o600)
	if _, err := KeyFromFile(short); !errors.Is(err, ErrKeyFile) {
		t.Errorf("short key: %v", err)
	}
	if k, err := KeyFromFile(long); err != nil || k != strings.Repeat("a", 40) {
		t.Errorf("long key: %q %v", k, err)
	}
	if _, err := KeyFromFile(filepath.Join(dir, "none")); err == nil {
		t.Error("missing file accepted")
	}
	if KeyID("a") == KeyID("b") || len(KeyID("a")) != 16 {
		t.Error("key ids")
	}
}
