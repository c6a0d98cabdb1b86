package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// Revoking one enrollment and the suspensions through the admin API: 401
// without a valid token, 403 for a read token's change, the effect through
// the real server, and an audit record naming the token.
func TestAdminAPIEnrollmentsAndSuspensions(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Policy = "multiple"
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
		d1 := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		d2 := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "24680")
		bobID := ts.CreateUser("bob", "bob-password-1")

		u := "/admin/v1/users/" + ts.DemoUserID
		calls := []struct{ method, path string }{
			{"DELETE", u + "/enrollments/e1"},
			{"GET", u + "/suspension"},
			{"DELETE", u + "/suspension"},
			{"GET", "/admin/v1/suspensions"},
		}
		for _, k := range calls {
			for _, bad := range []string{"", "Bearer", "Basic " + wtok, "Bearer oma_adm_" + strings.Repeat("A", 43), "Bearer " + wtok + "x"} {
				if code, v, _ := c.do(bad, k.method, k.path, ""); code != http.StatusUnauthorized || field(v, "error") != "unauthorized" {
					t.Fatalf("%s %s with %q: %d %v, want 401", k.method, k.path, bad, code, v)
				}
			}
			want := http.StatusForbidden
			if k.method == "GET" {
				want = http.StatusOK
			}
			if code, v, _ := c.do(R, k.method, k.path, ""); code != want {
				t.Fatalf("%s %s with a read token: %d %v, want %d", k.method, k.path, code, v, want)
			}
		}

		// Revoke one of the two enrolled devices: that one is disenrolled,
		// the other still answers.
		es := c.must(R, "GET", u+"/enrollments", "", 200).([]any)
		if len(es) != 2 {
			t.Fatalf("enrollments %v, want 2", es)
		}
		var first string
		for _, e := range es {
			if m := e.(map[string]any); m["profile_id"] == d1.ProfileID {
				first = m["id"].(string)
			}
		}
		if first == "" {
			t.Fatalf("no enrollment of the first device in %v", es)
		}
		c.must(W, "DELETE", "/admin/v1/users/"+bobID+"/enrollments/"+first, "", 404) // not bob's
		c.must(W, "DELETE", u+"/enrollments/"+first, "", 200)
		c.must(W, "DELETE", u+"/enrollments/"+first, "", 404)
		if es := c.must(R, "GET", u+"/enrollments", "", 200).([]any); len(es) != 1 {
			t.Fatalf("enrollments after the revoke %v, want 1", es)
		}
		_, otp := newRequest(t, ts, rp.CreateParams{})
		_, err = d1.Claim(otp)
		wantErr(t, err, protocol.ErrUserDisenrolled)
		if _, err := d2.Claim(otp); err != nil {
			t.Fatalf("the other device: %v", err)
		}

		// Suspensions: none, then one (what a "not me" answer writes), listed,
		// lifted.
		if v := c.must(R, "GET", u+"/suspension", "", 200); v.(map[string]any)["suspended"] != false {
			t.Fatalf("suspension before %v", v)
		}
		c.must(R, "GET", "/admin/v1/users/nobody/suspension", "", 404)
		now := ts.Clock.Now().UnixMilli()
		if err := ts.Server.Store().InTx(ctx, func(tx store.Tx) error {
			return tx.PutSuspension(ctx, store.Suspension{UserID: ts.DemoUserID, Until: now + time.Hour.Milliseconds(), Reason: "not_me", At: now})
		}); err != nil {
			t.Fatal(err)
		}
		if v := c.must(R, "GET", u+"/suspension", "", 200).(map[string]any); v["suspended"] != true || v["reason"] != "not_me" || v["until"] == "" {
			t.Fatalf("suspension %v", v)
		}
		l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/suspensions", "", 200))
		if !strings.Contains(string(l), `"user_id":"`+ts.DemoUserID+`"`) || strings.Contains(string(l), "bob") {
			t.Fatalf("suspensions %s", l)
		}
		if v := c.must(W, "DELETE", u+"/suspension", "", 200); v.(map[string]any)["lifted"] != true {
			t.Fatalf("lift %v", v)
		}
		if v := c.must(W, "DELETE", u+"/suspension", "", 200); v.(map[string]any)["lifted"] != false {
			t.Fatalf("second lift %v", v)
		}
		c.must(W, "DELETE", "/admin/v1/users/nobody/suspension", "", 404)
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/suspensions", "", 200)); string(l) != "[]" {
			t.Fatalf("suspensions after the lift %s", l)
		}

		logs := ts.Logs.String()
		for _, action := range []string{"enrollment_revoke", "user_unsuspend"} {
			if !strings.Contains(logs, `"action":"`+action+`"`) {
				t.Errorf("%s not audited", action)
			}
		}
	})
}
