package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

func TestAppCommands(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	if c, out, e := runCmd(t, "app", "create", "--store", st, "--id", "bank", "--name", "Example Bank", "--redirect-uri", "bank://cb",
		"--redirect-uri", "https://bank.example/cb", "--platform", "android", "--platform", "ios", "--version", "3.1.0"); c != 0 || !strings.Contains(out, "bank created") {
		t.Fatalf("app create: %d %q %q", c, out, e)
	}
	for name, args := range map[string][]string{
		"duplicate":       {"--id", "bank", "--name", "B", "--redirect-uri", "b://cb"},
		"javascript: URI": {"--id", "x", "--name", "X", "--redirect-uri", "javascript:alert(1)"},
		"data: URI":       {"--id", "x", "--name", "X", "--redirect-uri", "data:text/html,x"},
		"plain http":      {"--id", "x", "--name", "X", "--redirect-uri", "http://bank.example/cb"},
		"relative URI":    {"--id", "x", "--name", "X", "--redirect-uri", "/cb"},
		"no redirect URI": {"--id", "x", "--name", "X"},
		"no name":         {"--id", "x", "--redirect-uri", "x://cb"},
		"bad id":          {"--id", "a b", "--name", "X", "--redirect-uri", "x://cb"},
		"control in name": {"--id", "x", "--name", "X\u202eY", "--redirect-uri", "x://cb"},
		"fragment in URI": {"--id", "x", "--name", "X", "--redirect-uri", "x://cb#f"},
		"bad platform":    {"--id", "x", "--name", "X", "--redirect-uri", "x://cb", "--platform", "an droid"},
	} {
		if c, _, _ := runCmd(t, append([]string{"app", "create", "--store", st}, args...)...); c != 1 {
			t.Errorf("app create %s: exit %d, want 1", name, c)
		}
	}
	if c, _, _ := runCmd(t, "app", "disable", "--store", st); c != 2 {
		t.Errorf("app disable without --id: exit %d, want 2", c)
	}
	if c, _, _ := runCmd(t, "app", "frobnicate"); c != 2 {
		t.Errorf("unknown app subcommand: exit %d, want 2", c)
	}
	list := func() string {
		t.Helper()
		c, out, e := runCmd(t, "app", "list", "--store", st)
		if c != 0 {
			t.Fatalf("app list: %d %q", c, e)
		}
		return out
	}
	if out := list(); !strings.Contains(out, "bank\tname=\"Example Bank\"\tredirect_uris=bank://cb,https://bank.example/cb\tplatforms=android,ios\tversions=3.1.0\tdisabled=false") {
		t.Fatalf("app list: %q", out)
	}
	if c, _, e := runCmd(t, "app", "disable", "--store", st, "--id", "bank"); c != 0 {
		t.Fatalf("app disable: %s", e)
	}
	if out := list(); !strings.Contains(out, "disabled=true") {
		t.Fatalf("after disable: %q", out)
	}
	if c, _, e := runCmd(t, "app", "enable", "--store", st, "--id", "bank"); c != 0 {
		t.Fatalf("app enable: %s", e)
	}
	if out := list(); !strings.Contains(out, "disabled=false") {
		t.Fatalf("after enable: %q", out)
	}
	// Single sign-on targets (issue 17): none by default, replaced by update.
	if out := list(); !strings.Contains(out, "sso_targets=none") {
		t.Fatalf("default sso targets: %q", out)
	}
	if c, out, e := runCmd(t, "app", "update", "--store", st, "--id", "bank", "--sso-target", "https://bank.example/home",
		"--sso-target", "https://bank.example/pay"); c != 0 || !strings.Contains(out, "updated") {
		t.Fatalf("app update: %d %q %q", c, out, e)
	}
	if out := list(); !strings.Contains(out, "sso_targets=https://bank.example/home,https://bank.example/pay") {
		t.Fatalf("after update: %q", out)
	}
	for name, args := range map[string][]string{
		"plain http":   {"--sso-target", "http://bank.example/home"},
		"app scheme":   {"--sso-target", "bank://home"},
		"fragment":     {"--sso-target", "https://bank.example/#x"},
		"javascript":   {"--sso-target", "javascript:alert(1)"},
		"unknown app":  {"--id", "nope", "--sso-target", "https://bank.example/home"},
		"user info":    {"--sso-target", "https://a@bank.example/home"},
		"relative URL": {"--sso-target", "/home"},
	} {
		base := []string{"app", "update", "--store", st, "--id", "bank"}
		if c, _, _ := runCmd(t, append(base, args...)...); c != 1 {
			t.Errorf("app update %s: exit %d, want 1", name, c)
		}
	}
	if c, _, _ := runCmd(t, "app", "update", "--store", st, "--id", "bank"); c != 2 {
		t.Error("app update without --sso-target or --no-sso-targets was accepted")
	}
	if c, _, e := runCmd(t, "app", "update", "--store", st, "--id", "bank", "--no-sso-targets"); c != 0 {
		t.Fatalf("app update --no-sso-targets: %s", e)
	}
	if out := list(); !strings.Contains(out, "sso_targets=none") {
		t.Fatalf("after --no-sso-targets: %q", out)
	}
	if c, _, e := runCmd(t, "app", "create", "--store", st, "--id", "shop", "--name", "Shop", "--redirect-uri", "shop://cb",
		"--sso-target", "http://127.0.0.1:8081/shop"); c != 0 {
		t.Fatalf("app create --sso-target: %s", e)
	}
	if out := list(); !strings.Contains(out, "sso_targets=http://127.0.0.1:8081/shop") {
		t.Fatalf("created with a target: %q", out)
	}
	if c, _, e := runCmd(t, "app", "enable", "--store", st, "--id", "nope"); c != 1 || !strings.Contains(e, "no such application") {
		t.Fatalf("enable unknown: %d %q", c, e)
	}
	if c, _, e := runCmd(t, "app", "delete", "--store", st, "--id", "bank"); c != 0 {
		t.Fatalf("app delete: %s", e)
	}
	if out := list(); strings.Contains(out, "bank") {
		t.Fatalf("after delete: %q", out)
	}
	if c, _, _ := runCmd(t, "app", "delete", "--store", st, "--id", "bank"); c != 1 {
		t.Fatal("deleting a missing application succeeded")
	}
}

// user reset-devices removes the user's enrollments and marks their
// profiles so the devices learn why (user_disenrolled).
func TestUserResetDevices(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	if c, _, e := runCmd(t, "user", "create", "--store", st, "--username", "alice", "--password", "correct horse"); c != 0 {
		t.Fatalf("user create: %s", e)
	}
	s, err := store.Open(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = s.InTx(ctx, func(tx store.Tx) error {
		for _, e := range []store.Enrollment{{ID: "e1", ProfileID: "p1", ClientID: "c1", UserID: "alice"}, {ID: "e2", ProfileID: "p2", ClientID: "c2", UserID: "alice"},
			{ID: "e3", ProfileID: "p3", ClientID: "c3", UserID: "bob"}} {
			if err := tx.CreateEnrollment(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if c, out, e := runCmd(t, "user", "reset-devices", "--store", st, "--user", "alice"); c != 0 || !strings.Contains(out, "2 enrolled device(s) removed") {
		t.Fatalf("reset-devices: %d %q %q", c, out, e)
	}
	if c, _, _ := runCmd(t, "user", "reset-devices", "--store", st); c != 2 {
		t.Error("reset-devices without --user is not a usage error")
	}
	if c, _, e := runCmd(t, "user", "reset-devices", "--store", st, "--user", "nobody"); c != 1 || !strings.Contains(e, "no such user") {
		t.Errorf("reset-devices of an unknown user: %d %q", c, e)
	}
	s, err = store.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_ = s.View(ctx, func(tx store.Tx) error {
		if es, err := tx.EnrollmentsOfUser(ctx, "alice"); err != nil || len(es) != 0 {
			t.Errorf("alice's enrollments after reset: %v %v", es, err)
		}
		if es, err := tx.EnrollmentsOfUser(ctx, "bob"); err != nil || len(es) != 1 {
			t.Errorf("bob's enrollments after alice's reset: %v %v", es, err)
		}
		for _, p := range []string{"p1", "p2"} {
			if _, err := tx.GetSetting(ctx, "disenrolled:"+p); err != nil {
				t.Errorf("profile %s not marked: %v", p, err)
			}
		}
		if _, err := tx.GetSetting(ctx, "disenrolled:p3"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bob's profile marked: %v", err)
		}
		return nil
	})
}

// --trusted-proxies takes CIDRs and single addresses (flag or
// OMA_TRUSTED_PROXIES); anything else stops serve before it starts.
func TestTrustedProxiesFlag(t *testing.T) {
	got, err := parseCIDRs(" 10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,::ffff:198.51.100.9")
	if err != nil || len(got) != 4 || got[0].String() != "10.0.0.0/8" || got[1].String() != "192.0.2.1/32" ||
		got[2].String() != "2001:db8::/32" || got[3].String() != "198.51.100.9/32" {
		t.Fatalf("parseCIDRs = %v, %v", got, err)
	}
	if got, err := parseCIDRs(""); err != nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.0/8;rm"} {
		if c, _, e := runCmd(t, "serve", "--store", "sqlite::memory:", "--trusted-proxies", bad); c != 1 || !strings.Contains(e, "--trusted-proxies") {
			t.Errorf("serve --trusted-proxies %q: exit %d %q", bad, c, e)
		}
	}
	t.Setenv("OMA_TRUSTED_PROXIES", "not-a-cidr")
	if c, _, e := runCmd(t, "serve", "--store", "sqlite::memory:"); c != 1 || !strings.Contains(e, "--trusted-proxies") {
		t.Errorf("OMA_TRUSTED_PROXIES=not-a-cidr: exit %d %q", c, e)
	}
}
