package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// Deleting an API client and an OTP type: 401/403 as every change, refused
// (409) while an open request uses it, deleted once it ended, 404 after.
func TestAdminAPIDeletes(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		c := adminClient{t, adminServer(t, ts)}
		a := ts.Server.Admin()
		wtok, _ := a.CreateAdminToken(ctx, "ops-bot", server.AdminScopeWrite)
		rtok, _ := a.CreateAdminToken(ctx, "grafana", server.AdminScopeRead)
		W, R := "Bearer "+wtok, "Bearer "+rtok
		for _, p := range []string{"/admin/v1/api-clients/" + ts.APIClientID, "/admin/v1/otp-types/" + ts.OTPType} {
			for _, bad := range []string{"", "Bearer", "Basic " + wtok, "Bearer " + wtok + "x"} {
				if code, _, _ := c.do(bad, "DELETE", p, ""); code != http.StatusUnauthorized {
					t.Fatalf("DELETE %s with %q: %d, want 401", p, bad, code)
				}
			}
			if code, _, _ := c.do(R, "DELETE", p, ""); code != http.StatusForbidden {
				t.Fatalf("DELETE %s with a read token: %d, want 403", p, code)
			}
		}
		// An open request of the demo client and type: both refused.
		newRequest(t, ts, rp.CreateParams{})
		c.must(W, "DELETE", "/admin/v1/api-clients/"+ts.APIClientID, "", 409)
		c.must(W, "DELETE", "/admin/v1/otp-types/"+ts.OTPType, "", 409)
		// Once it expired: deleted; the RP API no longer knows them.
		ts.Clock.Advance(5*time.Minute + time.Second)
		c.must(W, "DELETE", "/admin/v1/otp-types/"+ts.OTPType, "", 200)
		c.must(W, "DELETE", "/admin/v1/otp-types/"+ts.OTPType, "", 404)
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/otp-types", "", 200)); strings.Contains(string(l), `"name":"`+ts.OTPType+`"`) {
			t.Fatalf("deleted type listed: %s", l)
		}
		c.must(W, "DELETE", "/admin/v1/api-clients/"+ts.APIClientID, "", 200)
		c.must(W, "DELETE", "/admin/v1/api-clients/"+ts.APIClientID, "", 404)
		if rpStatus(t, ts, ts.APIClientID, ts.APIClientSecret) != http.StatusUnauthorized {
			t.Fatal("a deleted API client still authenticates")
		}
		logs := ts.Logs.String()
		for _, action := range []string{"api_client_delete", "otp_type_delete"} {
			if !strings.Contains(logs, `"action":"`+action+`"`) {
				t.Errorf("%s not audited", action)
			}
		}
	})
}
