package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// The CLI's user, api-client and otp-type commands beside the admin API's,
// on the store of a running server with an enrolled device.
func TestUserListEnrollmentsRevokeAndSuspensions(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	st := ts.StoreURL
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	ctx := context.Background()

	c, out, e := runCmd(t, "user", "list", "--store", st)
	if c != 0 || !strings.Contains(out, ts.DemoUserID+"\tcreated=") {
		t.Fatalf("user list: %d %q %q", c, out, e)
	}
	c, out, e = runCmd(t, "user", "enrollments", "--store", st, "--user", ts.DemoUserID)
	if c != 0 || !strings.Contains(out, "profile="+d.ProfileID) {
		t.Fatalf("user enrollments: %d %q %q", c, out, e)
	}
	eid := strings.SplitN(out, "\t", 2)[0]
	if c, _, _ := runCmd(t, "user", "revoke-enrollment", "--store", st, "--user", ts.DemoUserID); c != 2 {
		t.Error("revoke-enrollment without --enrollment is not a usage error")
	}
	if c, _, e := runCmd(t, "user", "revoke-enrollment", "--store", st, "--user", "nobody", "--enrollment", eid); c != 1 || !strings.Contains(e, "not found") {
		t.Errorf("revoke of another user's enrollment: %d %q", c, e)
	}
	c, out, e = runCmd(t, "user", "revoke-enrollment", "--store", st, "--user", ts.DemoUserID, "--enrollment", eid)
	if c != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke-enrollment: %d %q %q", c, out, e)
	}
	_, otp, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Claim(otp); err == nil || !strings.Contains(err.Error(), "user_disenrolled") {
		t.Fatalf("claim after the revoke: %v", err)
	}
	if c, out, _ := runCmd(t, "user", "enrollments", "--store", st, "--user", ts.DemoUserID); c != 0 || out != "" {
		t.Fatalf("enrollments after the revoke: %q", out)
	}

	now := time.Now().UnixMilli()
	if err := ts.Server.Store().InTx(ctx, func(tx store.Tx) error {
		return tx.PutSuspension(ctx, store.Suspension{UserID: ts.DemoUserID, Until: now + time.Hour.Milliseconds(), Reason: "not_me", At: now})
	}); err != nil {
		t.Fatal(err)
	}
	if c, out, e := runCmd(t, "user", "suspensions", "--store", st); c != 0 || !strings.Contains(out, ts.DemoUserID+"\tuntil=") || !strings.Contains(out, "reason=not_me") {
		t.Fatalf("user suspensions: %d %q %q", c, out, e)
	}

	// api-client disable/enable: the RP API refuses, then accepts.
	if c, out, e := runCmd(t, "api-client", "disable", "--store", st, "--id", ts.APIClientID); c != 0 || !strings.Contains(out, "disabled") {
		t.Fatalf("api-client disable: %d %q %q", c, out, e)
	}
	// Another process's change reaches the running server's cache within
	// its 2 s reuse time.
	if !eventually(func() bool { _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi"}); return err != nil }) {
		t.Fatal("a disabled API client still creates requests")
	}
	if c, _, e := runCmd(t, "api-client", "enable", "--store", st, "--id", ts.APIClientID); c != 0 {
		t.Fatalf("api-client enable: %q", e)
	}
	if !eventually(func() bool { _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi"}); return err == nil }) {
		t.Fatal("enabled again: still refused")
	}
	if c, _, _ := runCmd(t, "api-client", "disable", "--store", st, "--id", "nobody"); c != 1 {
		t.Error("disable of an unknown API client succeeded")
	}

	// otp-type list/disable/enable.
	if c, out, e := runCmd(t, "otp-type", "list", "--store", st); c != 0 || !strings.Contains(out, ts.OTPType+"\texpiry=") {
		t.Fatalf("otp-type list: %d %q %q", c, out, e)
	}
	if c, _, e := runCmd(t, "otp-type", "disable", "--store", st, "--name", ts.OTPType); c != 0 {
		t.Fatalf("otp-type disable: %q", e)
	}
	if c, out, _ := runCmd(t, "otp-type", "list", "--store", st); c != 0 || !strings.Contains(out, "disabled=true") {
		t.Fatalf("after disable: %q", out)
	}
	if c, _, _ := runCmd(t, "otp-type", "disable", "--store", st); c != 2 {
		t.Error("otp-type disable without --name is not a usage error")
	}
	if c, _, e := runCmd(t, "otp-type", "enable", "--store", st, "--name", ts.OTPType); c != 0 {
		t.Fatalf("otp-type enable: %q", e)
	}

	// delete: refused while an open request uses them (the ones created above
	// are pending), done for an unused type and client.
	if c, _, e := runCmd(t, "otp-type", "delete", "--store", st, "--name", ts.OTPType); c != 1 || !strings.Contains(e, "in use") {
		t.Fatalf("otp-type delete in use: %d %q", c, e)
	}
	if c, _, e := runCmd(t, "api-client", "delete", "--store", st, "--id", ts.APIClientID); c != 1 || !strings.Contains(e, "in use") {
		t.Fatalf("api-client delete in use: %d %q", c, e)
	}
	if c, _, e := runCmd(t, "otp-type", "create", "--store", st, "--name", "unused"); c != 0 {
		t.Fatalf("otp-type create: %q", e)
	}
	if c, out, e := runCmd(t, "otp-type", "delete", "--store", st, "--name", "unused"); c != 0 || !strings.Contains(out, "deleted") {
		t.Fatalf("otp-type delete: %d %q %q", c, out, e)
	}
	if c, _, _ := runCmd(t, "otp-type", "delete", "--store", st, "--name", "unused"); c != 1 {
		t.Error("a second delete succeeded")
	}
	if c, _, e := runCmd(t, "api-client", "create", "--store", st, "--id", "unused-client"); c != 0 {
		t.Fatalf("api-client create: %q", e)
	}
	if c, out, e := runCmd(t, "api-client", "delete", "--store", st, "--id", "unused-client"); c != 0 || !strings.Contains(out, "deleted") {
		t.Fatalf("api-client delete: %d %q %q", c, out, e)
	}
}

// eventually polls cond for up to 4 s.
func eventually(cond func() bool) bool {
	for end := time.Now().Add(4 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

// user disable|enable|unlock|delete from the CLI on a running server's
// store: the server refuses the disabled user's PIN login at once (the
// check reads the store), accepts it again after enable; delete removes the
// registration.
func TestUserDisableEnableUnlockDelete(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	st := ts.StoreURL
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	for _, cmd := range []string{"disable", "enable", "unlock", "delete"} {
		if c, _, _ := runCmd(t, "user", cmd, "--store", st); c != 2 {
			t.Errorf("user %s without --user is not a usage error", cmd)
		}
		if c, _, e := runCmd(t, "user", cmd, "--store", st, "--user", "nobody"); c != 1 || !strings.Contains(e, "not found") {
			t.Errorf("user %s of an unknown user: %d %q", cmd, c, e)
		}
	}
	if c, out, e := runCmd(t, "user", "disable", "--store", st, "--user", ts.DemoUserID); c != 0 || !strings.Contains(out, "disabled") {
		t.Fatalf("user disable: %d %q %q", c, out, e)
	}
	if c, out, _ := runCmd(t, "user", "list", "--store", st); c != 0 || !strings.Contains(out, ts.DemoUserID+"\tcreated=") || !strings.Contains(out, "\tdisabled") {
		t.Fatalf("user list does not show the user disabled: %q", out)
	}
	if err := d.Authenticate("13579"); err == nil || !strings.Contains(err.Error(), "user_disabled") {
		t.Fatalf("PIN login of a user disabled by the CLI: %v", err)
	}
	if c, out, _ := runCmd(t, "user", "disable", "--store", st, "--user", ts.DemoUserID); c != 0 || !strings.Contains(out, "already disabled") {
		t.Errorf("second disable: %q", out)
	}
	if c, out, e := runCmd(t, "user", "enable", "--store", st, "--user", ts.DemoUserID); c != 0 || !strings.Contains(out, "enabled") {
		t.Fatalf("user enable: %d %q %q", c, out, e)
	}
	if err := d.Authenticate("13579"); err != nil {
		t.Fatalf("PIN login after enable: %v", err)
	}
	if err := d.Authenticate("00000"); err == nil {
		t.Fatal("wrong PIN accepted")
	}
	if c, out, e := runCmd(t, "user", "unlock", "--store", st, "--user", ts.DemoUserID); c != 0 || !strings.Contains(out, "1 wrong-PIN counter(s) reset") {
		t.Fatalf("user unlock: %d %q %q", c, out, e)
	}
	if c, out, e := runCmd(t, "user", "delete", "--store", st, "--user", ts.DemoUserID); c != 0 || !strings.Contains(out, "1 registration(s), 1 enrolled device(s)") {
		t.Fatalf("user delete: %d %q %q", c, out, e)
	}
	if err := d.Authenticate("13579"); err == nil || !strings.Contains(err.Error(), "user_deregistered") {
		t.Fatalf("PIN login after delete: %v", err)
	}
}

// policy set|show: the stored policies, shown with which come from the
// server's configuration; bad values refused; the running server applies a
// stored value at once (its next PIN grant).
func TestPolicySetShow(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	st := ts.StoreURL
	c, out, e := runCmd(t, "policy", "show", "--store", st)
	if c != 0 || !strings.Contains(out, "pin_max_failures           (not stored") {
		t.Fatalf("policy show: %d %q %q", c, out, e)
	}
	for _, bad := range [][]string{{"--pin-max-failures", "11"}, {"--push-max-pending", "0", "--reset", "pin_length"}, {"--not-me-suspension", "1500ms"}, {"sometimes"}} {
		if c, _, _ := runCmd(t, append([]string{"policy", "set", "--store", st}, bad...)...); c == 0 {
			t.Errorf("policy set %v accepted", bad)
		}
	}
	if c, _, _ := runCmd(t, "policy", "set", "--store", st); c != 2 {
		t.Error("policy set without a change is not a usage error")
	}
	c, out, e = runCmd(t, "policy", "set", "override", "--store", st, "--pin-max-failures", "1", "--not-me-suspension", "10m", "--push-max-pending", "3")
	if c != 0 || !strings.Contains(out, "policy                     override") || !strings.Contains(out, "pin_max_failures           1") ||
		!strings.Contains(out, "not_me_suspension_seconds  600") || !strings.Contains(out, "push_max_pending           3") {
		t.Fatalf("policy set: %d %q %q", c, out, e)
	}
	d := ts.NewDevice()
	if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "24680"); err != nil {
		t.Fatal(err)
	}
	if err := d.Authenticate("00000"); err == nil || !strings.Contains(err.Error(), "user_deregistered") {
		t.Fatalf("one wrong PIN under pin_max_failures 1: %v", err)
	}
	c, out, _ = runCmd(t, "policy", "set", "--store", st, "--reset", "pin_max_failures,policy")
	if c != 0 || !strings.Contains(out, "pin_max_failures           (not stored") || !strings.Contains(out, "policy                     (not stored") {
		t.Fatalf("policy reset: %q", out)
	}
}
