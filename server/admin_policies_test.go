package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// The operator's policies (issue 16) through the admin API: the
// configuration's values until stored; out-of-range values refused (400);
// stored values win and every instance on the store applies them (a second
// server on the same store: the PIN failures that remove a registration);
// the open-push-requests limit and the "not me" suspension period take the
// stored values; reset returns to the configuration; each change audited.
// Both stores.
func TestAdminAPIPolicies(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Policy = "multiple"
		ts := pushServer(t, o, func(c *server.Config) { c.PushBackoff = -1 })
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
		num := func(v any, k string) float64 { f, _ := v.(map[string]any)[k].(float64); return f }
		stored := func(v any, k string) bool { s, _ := v.(map[string]any)["stored"].(map[string]any); return s[k] == true }

		v := c.must(R, "GET", "/admin/v1/policy", "", 200)
		if field(v, "policy") != "multiple" || num(v, "pin_length") != 5 || num(v, "pin_max_failures") != 3 ||
			num(v, "not_me_suspension_seconds") != 3600 || num(v, "push_max_pending") != 1 || stored(v, "pin_max_failures") {
			t.Fatalf("configuration's policies: %v", v)
		}
		for _, bad := range []string{`{}`, `{"pin_max_failures":11}`, `{"pin_max_failures":-1}`, `{"push_max_pending":101}`,
			`{"not_me_suspension_seconds":-5}`, `{"not_me_suspension_seconds":2592001}`, `{"reset":["pin_length"]}`, `{"policy":"sometimes"}`, `{"pin_length":6}`} {
			c.must(W, "PUT", "/admin/v1/policy", bad, 400)
		}
		if code, _, _ := c.do(R, "PUT", "/admin/v1/policy", `{"pin_max_failures":2}`); code != http.StatusForbidden {
			t.Fatalf("a read token's change: %d", code)
		}
		v = c.must(W, "PUT", "/admin/v1/policy", `{"pin_max_failures":2,"not_me_suspension_seconds":60,"push_max_pending":2}`, 200)
		if num(v, "pin_max_failures") != 2 || num(v, "not_me_suspension_seconds") != 60 || num(v, "push_max_pending") != 2 ||
			!stored(v, "pin_max_failures") || !stored(v, "push_max_pending") || stored(v, "policy") {
			t.Fatalf("after the change: %v", v)
		}

		// A second instance on the store agrees: its admin API shows the
		// stored values and its PIN grant removes a registration after the
		// second wrong PIN (the configuration says 3).
		ts2 := servertest.Start(t, servertest.Options{StoreURL: ts.StoreURL})
		if v := c.must(R, "GET", "/admin/v1/policy", "", 200); num(v, "pin_max_failures") != 2 {
			t.Fatalf("first instance: %v", v)
		}
		v2 := adminClient{t, adminServer(t, ts2)}.must(R, "GET", "/admin/v1/policy", "", 200)
		if num(v2, "pin_max_failures") != 2 || num(v2, "push_max_pending") != 2 {
			t.Fatalf("second instance: %v", v2)
		}
		pd := ts.NewDevice()
		if err := pd.RegisterUser(ts.DemoUser, ts.DemoPassword, "24680"); err != nil {
			t.Fatal(err)
		}
		pd2 := pd.On(ts2)
		if e := wantErr(t, pd2.Authenticate("00000"), protocol.ErrInvalidPin); *e.RemainingAttempts != 1 {
			t.Fatalf("remaining attempts %d, want 1", *e.RemainingAttempts)
		}
		if e := wantErr(t, pd2.Authenticate("00001"), protocol.ErrUserDeregistered); e.RemainingAttempts == nil || *e.RemainingAttempts != 0 {
			t.Fatalf("the second wrong PIN did not remove the registration: %+v", e)
		}

		// Open push requests per user: two now, the third refused.
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		for i := 0; i < 2; i++ {
			if _, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?"); err != nil {
				t.Fatalf("push request %d: %v", i+1, err)
			}
		}
		_, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?")
		wantRPErr(t, err, http.StatusTooManyRequests, 1010)

		// "This wasn't me" suspends for the stored 60 s, not the configured hour.
		_, otp := newRequest(t, ts, rp.CreateParams{UserID: ts.DemoUserID})
		cr, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(cr, protocol.DecisionDeny, func(a *protocol.AnswerRequest) { a.Reason = protocol.ReasonNotMe })); err != nil {
			t.Fatal(err)
		}
		s := c.must(R, "GET", "/admin/v1/users/"+ts.DemoUserID+"/suspension", "", 200)
		until, err := time.Parse(time.RFC3339, field(s, "until"))
		if err != nil || until.Sub(ts.Clock.Now()) > 61*time.Second || until.Sub(ts.Clock.Now()) < 59*time.Second {
			t.Fatalf("suspension %v, want 60 s from %s", s, ts.Clock.Now().UTC())
		}

		// Reset: back to the configuration's.
		v = c.must(W, "PUT", "/admin/v1/policy", `{"reset":["pin_max_failures","push_max_pending"],"policy":"override"}`, 200)
		if num(v, "pin_max_failures") != 3 || num(v, "push_max_pending") != 1 || stored(v, "pin_max_failures") ||
			num(v, "not_me_suspension_seconds") != 60 || field(v, "policy") != "override" || !stored(v, "policy") {
			t.Fatalf("after the reset: %v", v)
		}
		logs := ts.Logs.String()
		for _, target := range []string{"not_me_suspension_seconds=60,pin_max_failures=2,push_max_pending=2", "policy=override,reset=pin_max_failures,reset=push_max_pending"} {
			if !strings.Contains(logs, `"admin":"ops-bot","action":"policy_set","target":"`+target+`"`) {
				t.Errorf("policy change %s not audited", target)
			}
		}
	})
}
