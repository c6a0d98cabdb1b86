package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

func storedCallbackKey(t *testing.T, st, id string) string {
	t.Helper()
	s, err := store.Open(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v string
	if err := s.View(context.Background(), func(tx store.Tx) error {
		c, err := tx.GetAPIClient(context.Background(), id)
		v = c.CallbackKey
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

var callbackKeyLine = regexp.MustCompile(`callback key: (\S+)`)

// An admin command given the master key (OMA_MASTER_KEY) stores the callback
// key it creates sealed; one without it stores it as it is, and serve with
// the key seals it at start.
func TestAdminCommandsSealCallbackKeys(t *testing.T) {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	mk := base64.StdEncoding.EncodeToString(raw)

	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	t.Setenv("OMA_MASTER_KEY", mk)
	c, out, e := runCmd(t, "api-client", "create", "--store", st, "--id", "shop", "--callback", "https://shop.example/cb")
	m := callbackKeyLine.FindStringSubmatch(out)
	if c != 0 || m == nil {
		t.Fatalf("create: %d %q %q", c, out, e)
	}
	if v := storedCallbackKey(t, st, "shop"); !strings.HasPrefix(v, "kek1:") || strings.Contains(v, m[1]) {
		t.Fatalf("stored unsealed with OMA_MASTER_KEY: %q", v)
	}

	// The same with --master-key-file (or master-key-file in the
	// configuration file).
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "master.key.prod")
	if err := os.WriteFile(keyFile, []byte(mk+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OMA_MASTER_KEY", "")
	st3 := "sqlite:" + filepath.Join(dir, "oma.db")
	c, out, e = runCmd(t, "api-client", "create", "--store", st3, "--master-key-file", keyFile, "--id", "shop", "--callback", "https://shop.example/cb")
	m = callbackKeyLine.FindStringSubmatch(out)
	if c != 0 || m == nil {
		t.Fatalf("create with --master-key-file: %d %q %q", c, out, e)
	}
	if v := storedCallbackKey(t, st3, "shop"); !strings.HasPrefix(v, "kek1:") || strings.Contains(v, m[1]) {
		t.Fatalf("stored unsealed with --master-key-file: %q", v)
	}

	st2 := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	c, out, e = runCmd(t, "api-client", "create", "--store", st2, "--id", "shop", "--callback", "https://shop.example/cb")
	m = callbackKeyLine.FindStringSubmatch(out)
	if c != 0 || m == nil {
		t.Fatalf("create without key: %d %q %q", c, out, e)
	}
	if v := storedCallbackKey(t, st2, "shop"); v != m[1] {
		t.Fatalf("without a master key the key is stored as it is: %q", v)
	}
	t.Setenv("OMA_MASTER_KEY", mk)
	if code, _, serr := serveOnce(t, "--store", st2); code != 0 {
		t.Fatalf("serve: %d %s", code, serr)
	}
	if v := storedCallbackKey(t, st2, "shop"); !strings.HasPrefix(v, "kek1:") || strings.Contains(v, m[1]) {
		t.Fatalf("not sealed by serve: %q", v)
	}
}
