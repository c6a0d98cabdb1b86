package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/store"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestAdminCommands(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "d", "oma.db")
	if c, out, e := runCmd(t, "api-client", "create", "--store", st, "--id", "shop", "--callback", "https://shop.example/cb"); c != 0 || !strings.Contains(out, "secret: ") {
		t.Fatalf("api-client create: %d %q %q", c, out, e)
	}
	if c, _, _ := runCmd(t, "api-client", "create", "--store", st, "--id", "shop"); c != 1 {
		t.Fatalf("duplicate api-client create exit %d, want 1", c)
	}
	if c, _, _ := runCmd(t, "api-client", "create", "--store", st, "--id", "x", "--callback", "ftp://nope"); c != 1 {
		t.Fatalf("bad callback accepted: %d", c)
	}
	c, out, _ := runCmd(t, "api-client", "list", "--store", st)
	if c != 0 || !strings.Contains(out, "shop") || !strings.Contains(out, "callback_key_id=k") {
		t.Fatalf("api-client list: %d %q", c, out)
	}
	if c, out, e := runCmd(t, "otp-type", "create", "--store", st, "--name", "pay", "--expiry", "90s"); c != 0 || !strings.Contains(out, "1m30s") {
		t.Fatalf("otp-type create: %d %q %q", c, out, e)
	}
	if c, _, _ := runCmd(t, "user", "create", "--store", st, "--username", "alice", "--password", "correct horse"); c != 0 {
		t.Fatalf("user create: %d", c)
	}
	if c, _, _ := runCmd(t, "user", "create", "--store", st, "--username", "bob", "--password", "short"); c != 1 {
		t.Fatal("short password accepted")
	}
	if c, _, _ := runCmd(t, "policy", "set", "override", "--store", st); c != 0 {
		t.Fatal("policy set failed")
	}
	if c, _, _ := runCmd(t, "policy", "set", "sometimes", "--store", st); c != 1 {
		t.Fatal("bad policy accepted")
	}
	if c, _, _ := runCmd(t, "frobnicate"); c != 2 {
		t.Fatal("unknown command not a usage error")
	}
	if c, _, _ := runCmd(t, "serve", "--bogus"); c != 2 {
		t.Fatal("bad flag not a usage error")
	}
}

// serveFresh runs serve (serveOnce) with args on a fresh SQLite store and
// returns the banner, the store's directory and URL.
func serveFresh(t *testing.T, args ...string) (string, string, string) {
	t.Helper()
	dir := t.TempDir()
	storeURL := "sqlite:" + filepath.Join(dir, "oma.db")
	code, out, errs := serveOnce(t, append([]string{"--store", storeURL}, args...)...)
	if code != 0 {
		t.Fatalf("serve exit %d:\n%s\n%s", code, out, errs)
	}
	return out, dir, storeURL
}

// seeded counts what a store holds of the demo's kinds of rows.
func seeded(t *testing.T, storeURL string) (users, apiClients, otpTypes, apps int) {
	t.Helper()
	st, err := store.Open(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	err = st.View(ctx, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, server.DemoUsername); err == nil {
			users++
		}
		c, err := tx.ListAPIClients(ctx)
		apiClients = len(c)
		if err != nil {
			return err
		}
		o, err := tx.ListOTPTypes(ctx)
		otpTypes = len(o)
		if err != nil {
			return err
		}
		a, err := tx.ListApplications(ctx)
		apps = len(a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

// Issue 11 item 4: a production start seeds nothing (no demo user with a
// known password, no API client, no application).
func TestServeSeedsNothingByDefault(t *testing.T) {
	out, dir, storeURL := serveFresh(t)
	if u, c, o, a := seeded(t, storeURL); u+c+o+a != 0 {
		t.Fatalf("serve without --demo seeded: demo user %d, API clients %d, OTP types %d, applications %d", u, c, o, a)
	}
	if _, err := os.Stat(filepath.Join(dir, server.DemoAPIClientID+".secret")); !os.IsNotExist(err) {
		t.Errorf("serve without --demo wrote a secret file: %v", err)
	}
	if strings.Contains(out, "demo") {
		t.Errorf("banner mentions demo data:\n%s", out)
	}
}

// serve --demo seeds the demo user, API client, OTP type and application.
func TestServeDemoSeedsAndShutsDown(t *testing.T) {
	out, dir, storeURL := serveFresh(t, "--demo")
	secret, err := os.ReadFile(filepath.Join(dir, "demo-rp.secret"))
	if err != nil || len(strings.TrimSpace(string(secret))) < 20 {
		t.Fatalf("secret file: %q %v", secret, err)
	}
	if u, c, o, a := seeded(t, storeURL); u != 1 || c != 1 || o != 1 || a != 1 {
		t.Fatalf("serve --demo seeded: demo user %d, API clients %d, OTP types %d, applications %d", u, c, o, a)
	}
	for _, want := range []string{"demo-rp", "demo-rp.secret", "demo / demo1234", "demo OTP type", "demo application: " + server.DemoAppID} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, strings.TrimSpace(string(secret))) {
		t.Error("banner prints the secret itself")
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		c, out, _ := runCmd(t, arg)
		if c != 0 || !strings.HasPrefix(out, "tokenserver ") || !strings.Contains(out, " go1.") {
			t.Fatalf("%s: %d %q", arg, c, out)
		}
	}
}
