package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/store"
)

// user unsuspend lifts a "this wasn't me" suspension; otp-type create sets
// number matching and user verification (DESIGN §13).
func TestUserUnsuspendAndAntiFatigueType(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	if c, _, e := runCmd(t, "user", "create", "--store", st, "--username", "alice", "--password", "correct horse"); c != 0 {
		t.Fatalf("user create: %s", e)
	}
	if c, out, e := runCmd(t, "user", "unsuspend", "--store", st, "--user", "alice"); c != 0 || !strings.Contains(out, "was not suspended") {
		t.Fatalf("unsuspend of a user not suspended: %d %q %q", c, out, e)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMilli()
	if _, on, _ := (&server.Admin{Store: s}).SuspensionOf(ctx, "alice"); on {
		t.Fatal("suspended before")
	}
	if err := s.InTx(ctx, func(tx store.Tx) error {
		// What a "not me" answer writes (antifatigue.Suspend).
		return tx.PutSuspension(ctx, store.Suspension{UserID: "alice", Until: now + time.Hour.Milliseconds(), Reason: "not_me", At: now})
	}); err != nil {
		t.Fatal(err)
	}
	if _, on, err := (&server.Admin{Store: s}).SuspensionOf(ctx, "alice"); err != nil || !on {
		t.Fatalf("not suspended: %v", err)
	}
	_ = s.Close()
	if c, out, e := runCmd(t, "user", "unsuspend", "--store", st, "--user", "alice"); c != 0 || !strings.Contains(out, "suspension lifted") {
		t.Fatalf("unsuspend: %d %q %q", c, out, e)
	}
	s, err = store.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, on, err := (&server.Admin{Store: s}).SuspensionOf(ctx, "alice"); err != nil || on {
		t.Errorf("still suspended after unsuspend: %t %v", on, err)
	}
	if c, _, _ := runCmd(t, "user", "unsuspend", "--store", st); c != 2 {
		t.Error("unsuspend without --user is not a usage error")
	}
	if c, _, e := runCmd(t, "user", "unsuspend", "--store", st, "--user", "nobody"); c != 1 || !strings.Contains(e, "no such user") {
		t.Errorf("unsuspend of an unknown user: %d %q", c, e)
	}
	if c, out, e := runCmd(t, "otp-type", "create", "--store", st, "--name", "pay", "--number-matching", "--user-verification", "required"); c != 0 ||
		!strings.Contains(out, "number matching true user verification required") {
		t.Fatalf("otp-type create: %d %q %q", c, out, e)
	}
	if err := s.View(ctx, func(tx store.Tx) error {
		ty, err := tx.GetOTPType(ctx, "pay")
		if err != nil || !ty.NumberMatching || ty.UserVerification != "required" {
			t.Errorf("stored type %+v %v", ty, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if c, _, _ := runCmd(t, "otp-type", "create", "--store", st, "--name", "pay", "--user-verification", "sometimes"); c != 1 {
		t.Error("a bad user verification value was accepted")
	}
}
