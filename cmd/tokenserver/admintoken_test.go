package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestAdminTokenCommands(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	c, out, e := runCmd(t, "admin-token", "create", "--store", st, "--name", "ops-bot", "--scope", "write")
	if c != 0 || !strings.Contains(out, "admin token ops-bot (write): oma_adm_") {
		t.Fatalf("create: %d %q %q", c, out, e)
	}
	tok := strings.Fields(strings.SplitN(out, ": ", 2)[1])[0]
	if c, _, e := runCmd(t, "admin-token", "create", "--store", st, "--name", "ops-bot"); c != 1 || !strings.Contains(e, "exists") {
		t.Fatalf("duplicate name: %d %q", c, e)
	}
	if c, _, e := runCmd(t, "admin-token", "create", "--store", st, "--name", "x", "--scope", "root"); c != 1 || !strings.Contains(e, "scope") {
		t.Fatalf("bad scope: %d %q", c, e)
	}
	c, out, _ = runCmd(t, "admin-token", "list", "--store", st)
	if c != 0 || !strings.Contains(out, "ops-bot") || !strings.Contains(out, "write") || strings.Contains(out, tok) {
		t.Fatalf("list: %d %q", c, out)
	}
	if c, _, _ := runCmd(t, "admin-token", "revoke", "--store", st, "--name", "ops-bot"); c != 0 {
		t.Fatal("revoke failed")
	}
	if c, _, _ := runCmd(t, "admin-token", "revoke", "--store", st, "--name", "ops-bot"); c != 1 {
		t.Fatal("revoking twice succeeded")
	}
	if c, _, _ := runCmd(t, "admin-token"); c != 2 {
		t.Fatal("admin-token without a command is not a usage error")
	}
}
