package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// Disable, enable, unlock and delete a user through the admin API (issue
// 16): 401 without a valid token and 403 for a read token on every new
// route; a disabled user is refused at each path (login page, PIN and
// implicit grants, claim and answer from this instance's warm caches, the
// RP's user-bound create) and their tokens stop working at once; enable
// restores everything; each change is an audit record naming the token.
// Both stores.
func TestAdminAPIUserDisableEnable(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		c := adminClient{t, adminServer(t, ts)}
		a := ts.Server.Admin()
		wtok, err := a.CreateAdminToken(ctx, "ops-bot", server.AdminScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		rtok, err := a.CreateAdminToken(ctx, "grafana", server.AdminScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		W, R := "Bearer "+wtok, "Bearer "+rtok
		u := "/admin/v1/users/" + ts.DemoUserID
		for _, k := range []struct{ method, path string }{
			{"POST", u + "/disable"}, {"POST", u + "/enable"}, {"POST", u + "/unlock"}, {"DELETE", u},
		} {
			for _, bad := range []string{"", "Bearer", "Basic " + wtok, "Bearer oma_adm_" + strings.Repeat("A", 43), "Bearer " + wtok + "x"} {
				if code, v, _ := c.do(bad, k.method, k.path, ""); code != http.StatusUnauthorized || field(v, "error") != "unauthorized" {
					t.Fatalf("%s %s with %q: %d %v, want 401", k.method, k.path, bad, code, v)
				}
			}
			if code, v, _ := c.do(R, k.method, k.path, ""); code != http.StatusForbidden || field(v, "error") != "forbidden" {
				t.Fatalf("%s %s with a read token: %d %v, want 403", k.method, k.path, code, v)
			}
		}
		for _, p := range []string{"/disable", "/enable", "/unlock", ""} {
			method := "POST"
			if p == "" {
				method = "DELETE"
			}
			c.must(W, method, "/admin/v1/users/nobody"+p, "", 404)
		}

		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		// Warm this instance's caches: a claim (enrollment cached), then a
		// request claimed before the disable and one created before it.
		_, otpA := newRequest(t, ts, rp.CreateParams{})
		claimedA, err := d.Claim(otpA)
		if err != nil {
			t.Fatal(err)
		}
		_, otpB := newRequest(t, ts, rp.CreateParams{})
		_, otpC := newRequest(t, ts, rp.CreateParams{})
		claimedC, err := d.Claim(otpC)
		if err != nil {
			t.Fatal(err)
		}
		access := d.Access

		v := c.must(W, "POST", u+"/disable", "", 200).(map[string]any)
		if v["disabled"] != true || v["changed"] != true {
			t.Fatalf("disable: %v", v)
		}
		if v := c.must(W, "POST", u+"/disable", "", 200).(map[string]any); v["changed"] != false {
			t.Fatalf("second disable: %v", v)
		}
		found := false
		for _, x := range c.must(R, "GET", "/admin/v1/users", "", 200).([]any) {
			if m := x.(map[string]any); m["id"] == ts.DemoUserID {
				found = m["disabled"] == true
			}
		}
		if !found {
			t.Fatal("the user list does not show the user disabled")
		}

		// The login page: the right password gets no code.
		if _, _, err := ts.NewDevice().Login(ts.DemoUser, ts.DemoPassword); err == nil {
			t.Fatal("a disabled user logged in on the login page")
		}
		// The PIN grant (the right PIN): user_disabled.
		wantErr(t, d.Authenticate("13579"), protocol.ErrUserDisabled)
		// The implicit grant: none either.
		_, err = d.LimitedToken(d.ProfileID, "")
		wantErr(t, err, protocol.ErrUserDisabled)
		// The tokens held before the disable were revoked with it.
		d.Access = access
		var ui protocol.UserInfoResponse
		wantErr(t, d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, &ui), protocol.ErrInvalidToken)
		// Answer (of a request claimed before, from this instance's claim
		// record), an extended answer ("this wasn't me") and a claim (from
		// the warm cache): user_disabled.
		_, err = d.Answer(d.SignedAnswer(claimedA, protocol.DecisionAccept, nil))
		wantErr(t, err, protocol.ErrUserDisabled)
		_, err = d.Answer(d.SignedAnswer(claimedC, protocol.DecisionDeny, func(a *protocol.AnswerRequest) { a.Reason = protocol.ReasonNotMe }))
		wantErr(t, err, protocol.ErrUserDisabled)
		_, err = d.Claim(otpB)
		wantErr(t, err, protocol.ErrUserDisabled)
		// The RP cannot target the user: 403, error_code 1000, said why.
		_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", UserID: ts.DemoUserID})
		wantRPErr(t, err, http.StatusForbidden, 1000)
		if !strings.Contains(err.Error(), "disabled by the operator") {
			t.Errorf("RP error does not say why: %v", err)
		}

		// Enable: everything works again.
		if v := c.must(W, "POST", u+"/enable", "", 200).(map[string]any); v["disabled"] != false || v["changed"] != true {
			t.Fatalf("enable: %v", v)
		}
		if err := d.Authenticate("13579"); err != nil {
			t.Fatalf("PIN login after enable: %v", err)
		}
		if _, err := d.Claim(otpB); err != nil {
			t.Fatalf("claim after enable: %v", err)
		}
		if _, err := d.Answer(d.SignedAnswer(claimedA, protocol.DecisionAccept, nil)); err != nil {
			t.Fatalf("answer after enable: %v", err)
		}
		if _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", UserID: ts.DemoUserID}); err != nil {
			t.Fatalf("RP request after enable: %v", err)
		}

		logs := ts.Logs.String()
		for _, action := range []string{"user_disable", "user_enable"} {
			if !strings.Contains(logs, `"admin":"ops-bot","action":"`+action+`","target":"`+ts.DemoUserID+`"`) {
				t.Errorf("%s not audited with the token's name", action)
			}
		}
		if !strings.Contains(logs, `"reason":"user_disabled"`) {
			t.Error("the refused login is not audited")
		}
	})
}

// Unlock resets the wrong-PIN counter, lifts a suspension and refills the
// login rate limit of the user (issue 16). Both stores.
func TestAdminAPIUserUnlock(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Config = func(c *server.Config) { c.Limits.LoginPerUser = ratelimit.Limit{Rate: 0.001, Burst: 3} }
		ts := servertest.Start(t, o)
		c := adminClient{t, adminServer(t, ts)}
		wtok, err := ts.Server.Admin().CreateAdminToken(ctx, "ops-bot", server.AdminScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		W := "Bearer " + wtok
		u := "/admin/v1/users/" + ts.DemoUserID
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579") // one login taken
		// Two wrong PINs, counted.
		wantErr(t, d.Authenticate("00000"), protocol.ErrInvalidPin)
		e := wantErr(t, d.Authenticate("00001"), protocol.ErrInvalidPin)
		before := *e.RemainingAttempts
		// The login budget spent: a wrong password, then the right one refused.
		if _, _, err := ts.NewDevice().Login(ts.DemoUser, "wrong-password"); err == nil {
			t.Fatal("wrong password accepted")
		}
		if _, _, err := ts.NewDevice().Login(ts.DemoUser, ts.DemoPassword); err != nil {
			t.Fatalf("the third login of the budget: %v", err)
		}
		if _, _, err := ts.NewDevice().Login(ts.DemoUser, ts.DemoPassword); err == nil || !strings.Contains(err.Error(), "429") {
			t.Fatalf("login not limited: %v", err)
		}
		now := ts.Clock.Now().UnixMilli()
		if err := ts.Server.Store().InTx(ctx, func(tx store.Tx) error {
			return tx.PutSuspension(ctx, store.Suspension{UserID: ts.DemoUserID, Until: now + time.Hour.Milliseconds(), Reason: "not_me", At: now})
		}); err != nil {
			t.Fatal(err)
		}

		v := c.must(W, "POST", u+"/unlock", "", 200).(map[string]any)
		if v["pin_counters_reset"] != float64(1) || v["suspension_lifted"] != true {
			t.Fatalf("unlock: %v", v)
		}
		e = wantErr(t, d.Authenticate("00002"), protocol.ErrInvalidPin)
		if *e.RemainingAttempts != before+1 {
			t.Fatalf("remaining attempts after unlock and one wrong PIN: %d, want %d", *e.RemainingAttempts, before+1)
		}
		if _, _, err := ts.NewDevice().Login(ts.DemoUser, ts.DemoPassword); err != nil {
			t.Fatalf("login after unlock: %v", err)
		}
		if _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", UserID: ts.DemoUserID}); err != nil {
			t.Fatalf("RP request after unlock (suspension lifted): %v", err)
		}
		if !strings.Contains(ts.Logs.String(), `"admin":"ops-bot","action":"user_unlock"`) {
			t.Error("unlock not audited")
		}
	})
}

// Delete removes the user's profiles, devices, enrollments, tokens,
// authenticators and open requests in one transaction; their answered
// requests stay as history; other users are untouched. Both stores.
func TestAdminAPIUserDelete(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Policy = "multiple"
		ts := servertest.Start(t, o)
		c := adminClient{t, adminServer(t, ts)}
		wtok, err := ts.Server.Admin().CreateAdminToken(ctx, "ops-bot", server.AdminScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		W := "Bearer " + wtok
		d1 := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		d2 := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "24680")
		if err := d2.RegisterBiometric(servertest.NewBiometricKey()); err != nil {
			t.Fatal(err)
		}
		ts.CreateUser("bob", "bob-password-1")
		bob := ts.Enrolled("bob", "bob-password-1", "48213")

		answered, otp := newRequest(t, ts, rp.CreateParams{UserID: ts.DemoUserID})
		cr, err := d1.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d1.Answer(d1.SignedAnswer(cr, protocol.DecisionAccept, nil)); err != nil {
			t.Fatal(err)
		}
		pending, _ := newRequest(t, ts, rp.CreateParams{UserID: ts.DemoUserID})
		claimedID, otp := newRequest(t, ts, rp.CreateParams{})
		if _, err := d2.Claim(otp); err != nil {
			t.Fatal(err)
		}
		bobs, _ := newRequest(t, ts, rp.CreateParams{UserID: "bob"})

		v := c.must(W, "DELETE", "/admin/v1/users/"+ts.DemoUserID, "", 200).(map[string]any)
		if v["profiles"] != float64(2) || v["enrollments"] != float64(2) || v["open_requests"] != float64(2) {
			t.Fatalf("delete: %v", v)
		}
		c.must(W, "DELETE", "/admin/v1/users/"+ts.DemoUserID, "", 404)
		c.must(W, "GET", "/admin/v1/users/"+ts.DemoUserID+"/enrollments", "", 404)

		st := ts.Server.Store()
		if err := st.View(ctx, func(tx store.Tx) error {
			if _, err := tx.GetUser(ctx, ts.DemoUserID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("user: %v", err)
			}
			for _, d := range []*servertest.Device{d1, d2} {
				if _, err := tx.GetProfile(ctx, d.ProfileID); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("profile %s: %v", d.ProfileID, err)
				}
				if _, err := tx.GetEnrollment(ctx, d.Enrollment); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("enrollment %s: %v", d.Enrollment, err)
				}
				for _, tok := range []string{d.Access, d.Refresh} {
					if _, err := tx.GetToken(ctx, secrethash.Token(tok)); !errors.Is(err, store.ErrNotFound) {
						t.Errorf("a token of %s survived: %v", d.ProfileID, err)
					}
				}
			}
			if _, err := tx.GetAuthenticator(ctx, d2.ProfileID, protocol.AuthenticatorBiometric); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("authenticator: %v", err)
			}
			for _, id := range []string{pending, claimedID} {
				if _, err := tx.GetTransaction(ctx, id); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("open request %s: %v", id, err)
				}
			}
			for _, id := range []string{answered, bobs} {
				if _, err := tx.GetTransaction(ctx, id); err != nil {
					t.Errorf("request %s: %v", id, err)
				}
			}
			if _, err := tx.GetEnrollment(ctx, bob.Enrollment); err != nil {
				t.Errorf("bob's enrollment: %v", err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// The devices learn it from their next request; bob is untouched.
		wantErr(t, d1.Authenticate("13579"), protocol.ErrUserDeregistered)
		_, otp = newRequest(t, ts, rp.CreateParams{})
		if _, err := d2.Claim(otp); err == nil {
			t.Fatal("a deleted user's device claimed")
		}
		if _, err := bob.Claim(otp); err != nil {
			t.Fatalf("bob: %v", err)
		}
		_, _, err = ts.CreateAuthRequest(context.Background(), rp.CreateParams{Message: "hi", UserID: ts.DemoUserID})
		wantRPErr(t, err, http.StatusBadRequest, 1003)
		if !strings.Contains(ts.Logs.String(), `"admin":"ops-bot","action":"user_delete","target":"`+ts.DemoUserID+`"`) {
			t.Error("delete not audited")
		}
	})
}
