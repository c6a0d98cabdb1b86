package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestIdPCommands(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	if c, _, e := runCmd(t, "app", "create", "--store", st, "--id", "bank", "--name", "Example Bank", "--redirect-uri", "bank://cb"); c != 0 {
		t.Fatalf("app create: %d %q", c, e)
	}
	c, out, e := runCmd(t, "idp", "create", "--store", st, "--app", "bank", "--id", "letter", "--name", "Code from our letter", "--type", "custom", "--url", "https://backend.example/oma")
	if c != 0 || !strings.Contains(out, "letter of application bank created") || !strings.Contains(out, "webhook key") {
		t.Fatalf("idp create: %d %q %q", c, out, e)
	}
	key := strings.TrimSpace(out[strings.LastIndex(out, ": ")+2:])
	if len(key) < 40 {
		t.Fatalf("webhook key %q", key)
	}
	for name, args := range map[string][]string{
		"duplicate":     {"--app", "bank", "--id", "letter", "--name", "L", "--type", "browser"},
		"no app":        {"--app", "nope", "--id", "x", "--name", "X", "--type", "browser"},
		"http remote":   {"--app", "bank", "--id", "x", "--name", "X", "--type", "custom", "--url", "http://backend.example/"},
		"bad type":      {"--app", "bank", "--id", "x", "--name", "X", "--type", "saml"},
		"browser + url": {"--app", "bank", "--id", "x", "--name", "X", "--type", "browser", "--url", "https://a.example/"},
	} {
		if c, _, _ := runCmd(t, append([]string{"idp", "create", "--store", st}, args...)...); c != 1 {
			t.Errorf("%s: exit %d, want 1", name, c)
		}
	}
	c, out, _ = runCmd(t, "idp", "list", "--store", st)
	if c != 0 || !strings.Contains(out, "bank\tletter\tname=\"Code from our letter\"\ttype=custom") || strings.Contains(out, key) {
		t.Fatalf("idp list: %d %q", c, out)
	}
	if c, _, e := runCmd(t, "idp", "delete", "--store", st, "--app", "bank", "--id", "letter"); c != 0 {
		t.Fatalf("idp delete: %q", e)
	}
	if c, _, _ := runCmd(t, "idp", "delete", "--store", st, "--app", "bank", "--id", "letter"); c != 1 {
		t.Fatal("deleting twice succeeded")
	}
}
