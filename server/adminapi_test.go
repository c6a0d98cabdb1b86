package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

type adminClient struct {
	t    *testing.T
	base string
}

// do sends one admin API request with the given Authorization header value
// ("" for none) and returns the status and the decoded JSON body.
func (c adminClient) do(auth, method, path, body string) (int, any, http.Header) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v any
	if len(b) > 0 && json.Unmarshal(b, &v) != nil {
		c.t.Fatalf("%s %s: not JSON: %s", method, path, b)
	}
	return resp.StatusCode, v, resp.Header
}

// must is do expecting status; it returns the body.
func (c adminClient) must(auth, method, path, body string, status int) any {
	c.t.Helper()
	got, v, _ := c.do(auth, method, path, body)
	if got != status {
		c.t.Fatalf("%s %s = %d %v, want %d", method, path, got, v, status)
	}
	return v
}

func field(v any, k string) string {
	m, _ := v.(map[string]any)
	s, _ := m[k].(string)
	return s
}

// rpStatus is the status of an RP create with Basic id:secret.
func rpStatus(t *testing.T, ts *servertest.TestServer, id, secret string) int {
	req, _ := http.NewRequest(http.MethodPost, ts.URL+rp.PathCreate, strings.NewReader("type="+ts.OTPType+"&message=hi"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Every admin API command: 401 without a token, with an unknown one and
// after revocation; 403 for a read token asking for a change; a read token
// reads; a write token changes, each change visible through the real server
// and recorded as an audit event naming the token.
func TestAdminAPI(t *testing.T) {
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
		if _, err := a.CreateAdminToken(ctx, "grafana", server.AdminScopeRead); err == nil {
			t.Fatal("a second token with the same name")
		}
		if _, err := a.CreateAdminToken(ctx, "x", "admin"); err == nil {
			t.Fatal("unknown scope accepted")
		}
		W, R := "Bearer "+wtok, "Bearer "+rtok
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		_ = d

		calls := []struct{ method, path, body string }{
			{"GET", "/admin/v1/api-clients", ""},
			{"POST", "/admin/v1/api-clients", `{"id":"shop"}`},
			{"POST", "/admin/v1/api-clients/" + ts.APIClientID + "/rotate-secret", ""},
			{"POST", "/admin/v1/api-clients/" + ts.APIClientID + "/rotate-callback-key", ""},
			{"POST", "/admin/v1/api-clients/" + ts.APIClientID + "/callback-uris", `{"callback_uris":["https://shop.example/cb"]}`},
			{"GET", "/admin/v1/applications", ""},
			{"POST", "/admin/v1/applications", `{"id":"com.example.app","name":"Example","redirect_uris":["com.example.app:/cb"]}`},
			{"POST", "/admin/v1/applications/com.example.app/disable", ""},
			{"POST", "/admin/v1/applications/com.example.app/enable", ""},
			{"PUT", "/admin/v1/applications/com.example.app/sso-targets", `{"sso_targets":["https://example.com/home"]}`},
			{"DELETE", "/admin/v1/applications/com.example.app", ""},
			{"POST", "/admin/v1/api-clients/" + ts.APIClientID + "/disable", ""},
			{"POST", "/admin/v1/api-clients/" + ts.APIClientID + "/enable", ""},
			{"GET", "/admin/v1/otp-types", ""},
			{"POST", "/admin/v1/otp-types/" + ts.OTPType + "/disable", ""},
			{"POST", "/admin/v1/otp-types/" + ts.OTPType + "/enable", ""},
			{"GET", "/admin/v1/users", ""},
			{"PUT", "/admin/v1/otp-types/pay", `{"expiry_seconds":90}`},
			{"POST", "/admin/v1/users", `{"username":"carol","password":"correct horse battery"}`},
			{"GET", "/admin/v1/users/" + ts.DemoUserID + "/enrollments", ""},
			{"POST", "/admin/v1/users/" + ts.DemoUserID + "/reset-devices", ""},
			{"GET", "/admin/v1/policy", ""},
			{"PUT", "/admin/v1/policy", `{"policy":"override"}`},
		}
		for _, k := range calls {
			for _, bad := range []string{"", "Bearer", "Basic " + wtok, "Bearer oma_adm_" + strings.Repeat("A", 43), "Bearer " + wtok + "x"} {
				code, v, h := c.do(bad, k.method, k.path, k.body)
				if code != http.StatusUnauthorized || field(v, "error") != "unauthorized" || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
					t.Fatalf("%s %s with %q: %d %v, want 401 unauthorized", k.method, k.path, bad, code, v)
				}
			}
			want := http.StatusForbidden
			if k.method == "GET" {
				want = http.StatusOK
			}
			if code, v, _ := c.do(R, k.method, k.path, k.body); code != want || (want == 403 && field(v, "error") != "forbidden") {
				t.Fatalf("%s %s with a read token: %d %v, want %d", k.method, k.path, code, v, want)
			}
		}

		// API clients: create, the secret works at the RP API and is never listed.
		cr := c.must(W, "POST", "/admin/v1/api-clients", `{"id":"shop","callback_uris":["https://shop.example/cb"]}`, 201)
		secret := field(cr, "secret")
		if len(secret) < 32 || field(cr, "callback_key") == "" || rpStatus(t, ts, "shop", secret) != 200 {
			t.Fatalf("created client %v does not work", cr)
		}
		c.must(W, "POST", "/admin/v1/api-clients", `{"id":"shop"}`, 409)
		c.must(W, "POST", "/admin/v1/api-clients", `{"id":"bad id"}`, 400)
		c.must(W, "POST", "/admin/v1/api-clients", `{"id":"x","secret":"chosen"}`, 400) // unknown field
		c.must(W, "POST", "/admin/v1/api-clients", `{"id":`, 400)
		list, _ := json.Marshal(c.must(R, "GET", "/admin/v1/api-clients", "", 200))
		if !strings.Contains(string(list), `"id":"shop"`) || strings.Contains(string(list), secret) {
			t.Fatalf("list %s", list)
		}
		rot := c.must(W, "POST", "/admin/v1/api-clients/shop/rotate-secret", "", 200)
		if rpStatus(t, ts, "shop", secret) != 401 || rpStatus(t, ts, "shop", field(rot, "secret")) != 200 {
			t.Fatal("rotation: the old secret still works or the new one does not")
		}
		c.must(W, "POST", "/admin/v1/api-clients/nobody/rotate-secret", "", 404)
		key := c.must(W, "POST", "/admin/v1/api-clients/shop/rotate-callback-key", "", 200)
		if field(key, "callback_key_id") == "" || field(key, "callback_key") == field(cr, "callback_key") {
			t.Fatalf("callback key not rotated: %v", key)
		}
		c.must(W, "POST", "/admin/v1/api-clients/shop/callback-uris", `{"callback_uris":["ftp://x"]}`, 400)
		c.must(W, "POST", "/admin/v1/api-clients/shop/callback-uris", `{"callback_uris":["https://shop.example/cb2"]}`, 200)
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/api-clients", "", 200)); !strings.Contains(string(l), "cb2") {
			t.Fatalf("callback URI not added: %s", l)
		}

		c.must(W, "POST", "/admin/v1/api-clients/shop/disable", "", 200)
		if rpStatus(t, ts, "shop", field(rot, "secret")) == 200 {
			t.Fatal("a disabled API client still creates requests")
		}
		c.must(W, "POST", "/admin/v1/api-clients/shop/enable", "", 200)
		if rpStatus(t, ts, "shop", field(rot, "secret")) != 200 {
			t.Fatal("an enabled API client is refused")
		}
		c.must(W, "POST", "/admin/v1/api-clients/nobody/disable", "", 404)

		// Applications.
		c.must(W, "POST", "/admin/v1/applications", `{"id":"com.example.app","name":"Example","redirect_uris":["com.example.app:/cb"]}`, 201)
		c.must(W, "POST", "/admin/v1/applications", `{"id":"com.example.app","name":"Example","redirect_uris":["com.example.app:/cb"]}`, 409)
		c.must(W, "POST", "/admin/v1/applications/com.example.app/disable", "", 200)
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/applications", "", 200)); !strings.Contains(string(l), `{"disabled":true,"id":"com.example.app","name":"Example","platforms":[],"redirect_uris":["com.example.app:/cb"],"sso_targets":[],"versions":[]}`) {
			t.Fatalf("applications %s", l)
		}
		c.must(W, "POST", "/admin/v1/applications/com.example.app/enable", "", 200)
		// Single sign-on targets (issue 17): replaced as a list; bad URLs refused.
		c.must(W, "PUT", "/admin/v1/applications/com.example.app/sso-targets", `{"sso_targets":["https://example.com/home","http://127.0.0.1:8081/x"]}`, 200)
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/applications", "", 200)); !strings.Contains(string(l), `"sso_targets":["https://example.com/home","http://127.0.0.1:8081/x"]`) {
			t.Fatalf("applications %s", l)
		}
		for _, bad := range []string{`"javascript:alert(1)"`, `"http://example.com/home"`, `"https://example.com/#f"`, `"https://user@example.com/"`, `"/home"`, `"bank://x"`} {
			c.must(W, "PUT", "/admin/v1/applications/com.example.app/sso-targets", `{"sso_targets":[`+bad+`]}`, 400)
		}
		c.must(W, "PUT", "/admin/v1/applications/nothing/sso-targets", `{"sso_targets":[]}`, 404)
		c.must(W, "DELETE", "/admin/v1/applications/com.example.app", "", 200)
		c.must(W, "DELETE", "/admin/v1/applications/com.example.app", "", 404)
		c.must(W, "POST", "/admin/v1/applications/nothing/disable", "", 404)

		// OTP types.
		c.must(W, "PUT", "/admin/v1/otp-types/pay", `{"expiry_seconds":90,"template":"Pay? {message}"}`, 200)
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/otp-types", "", 200)); !strings.Contains(string(l), `{"disabled":false,"expiry_seconds":90,"name":"pay","push":false,"template":"Pay? {message}"}`) {
			t.Fatalf("otp types %s", l)
		}
		c.must(W, "PUT", "/admin/v1/otp-types/pay", `{"expiry_seconds":-1}`, 400)
		c.must(W, "POST", "/admin/v1/otp-types/"+ts.OTPType+"/disable", "", 200)
		if rpStatus(t, ts, ts.APIClientID, ts.APIClientSecret) != http.StatusForbidden {
			t.Fatal("a disabled OTP type still creates requests")
		}
		c.must(W, "POST", "/admin/v1/otp-types/"+ts.OTPType+"/enable", "", 200)
		c.must(W, "POST", "/admin/v1/otp-types/nothing/disable", "", 404)

		// Users, their devices.
		c.must(W, "POST", "/admin/v1/users", `{"username":"carol","password":"correct horse battery"}`, 201)
		c.must(W, "POST", "/admin/v1/users", `{"username":"carol","password":"correct horse battery"}`, 409)
		c.must(W, "POST", "/admin/v1/users", `{"username":"dave","password":"short"}`, 400)
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/users", "", 200)); !strings.Contains(string(l), `"id":"carol"`) || !strings.Contains(string(l), `"id":"`+ts.DemoUserID+`"`) || strings.Contains(string(l), "argon") {
			t.Fatalf("users %s", l)
		}
		if l, _ := json.Marshal(c.must(R, "GET", "/admin/v1/users?after=carol", "", 200)); strings.Contains(string(l), `"id":"carol"`) {
			t.Fatalf("users after carol %s", l)
		}
		if es := c.must(R, "GET", "/admin/v1/users/"+ts.DemoUserID+"/enrollments", "", 200).([]any); len(es) != 1 {
			t.Fatalf("enrollments %v, want the demo device", es)
		}
		c.must(R, "GET", "/admin/v1/users/nobody/enrollments", "", 404)
		if v := c.must(W, "POST", "/admin/v1/users/"+ts.DemoUserID+"/reset-devices", "", 200); v.(map[string]any)["removed"] != float64(1) {
			t.Fatalf("reset-devices %v", v)
		}
		if es := c.must(R, "GET", "/admin/v1/users/"+ts.DemoUserID+"/enrollments", "", 200).([]any); len(es) != 0 {
			t.Fatalf("enrollments after reset %v", es)
		}

		// Policy.
		c.must(W, "PUT", "/admin/v1/policy", `{"policy":"override"}`, 200)
		if field(c.must(R, "GET", "/admin/v1/policy", "", 200), "policy") != "override" {
			t.Fatal("policy not set")
		}
		c.must(W, "PUT", "/admin/v1/policy", `{"policy":"sometimes"}`, 400)

		// The document, and revocation.
		if code, doc := get(t, c.base+"/admin/openapi.yaml"); code != 200 || !strings.HasPrefix(doc, "openapi: 3.") {
			t.Fatalf("/admin/openapi.yaml %d", code)
		}
		if err := a.RevokeAdminToken(ctx, "ops-bot"); err != nil {
			t.Fatal(err)
		}
		if code, _, _ := c.do(W, "GET", "/admin/v1/policy", ""); code != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", code)
		}

		// Stored hashed; changes audited with the token's name; no secret logged.
		raw := rawDB(t, ts)
		var n int
		h := sha256.Sum256([]byte(wtok))
		if err := raw.QueryRowContext(ctx, rebind(ts, "SELECT COUNT(*) FROM admin_tokens WHERE hash = ? OR name = ? OR hash = ?"), wtok, "grafana", hex.EncodeToString(h[:])).Scan(&n); err != nil || n != 1 {
			t.Fatalf("admin_tokens: %d rows (%v); want only grafana's hash row", n, err)
		}
		logs := ts.Logs.String()
		if !strings.Contains(logs, `"admin":"ops-bot"`) || !strings.Contains(logs, `"action":"api_client_rotate_secret"`) || !strings.Contains(logs, `"audit":true`) {
			i := strings.Index(logs, "admin_change") + 300
			t.Fatalf("admin changes not audited with the token's name: %.600s", logs[max(0, i-300):])
		}
		for _, s := range []string{wtok, rtok, secret, field(rot, "secret")} {
			if bytes.Contains([]byte(logs), []byte(s)) {
				t.Fatal("a token or secret reached the log")
			}
		}
	})
}
