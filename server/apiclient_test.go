package server_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// Issue 11 item 8: generated secrets carry 32 random bytes, operator-given
// ones have a minimum length, only a hash is stored, and the secret (not its
// hash) authenticates. Both stores.
func TestAPIClientSecretsHashed(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		a := ts.Server.Admin()
		cr, err := a.CreateAPIClient(ctx, server.APIClientSpec{ID: "shop"})
		if err != nil {
			t.Fatal(err)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(cr.Secret); err != nil || len(raw) < 32 {
			t.Fatalf("generated secret %d bytes (%v)", len(raw), err)
		}
		if cr.CallbackKey == "" || cr.CallbackKey == cr.Secret || cr.CallbackKeyID == "" {
			t.Fatalf("callback key %+v", cr)
		}
		var c store.APIClient
		_ = ts.Server.Store().View(ctx, func(tx store.Tx) error { c, err = tx.GetAPIClient(ctx, "shop"); return err })
		if err != nil || strings.Contains(c.SecretHash, cr.Secret) || !store.IsHashedAPISecret(c.SecretHash) {
			t.Fatalf("stored secret %q (%v)", c.SecretHash, err)
		}
		for _, short := range []string{"short", strings.Repeat("x", server.MinAPISecretLen-1), "has a space " + strings.Repeat("x", 40)} {
			if _, err := a.CreateAPIClient(ctx, server.APIClientSpec{ID: "given", Secret: short}); err == nil {
				t.Errorf("secret %q accepted", short)
			}
		}
		given := strings.Repeat("g", server.MinAPISecretLen)
		if _, err := a.CreateAPIClient(ctx, server.APIClientSpec{ID: "given", Secret: given}); err != nil {
			t.Fatal(err)
		}
		status := func(id, secret string) int {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+rp.PathTransaction+"nope", nil)
			req.SetBasicAuth(id, secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if st := status("shop", cr.Secret); st != http.StatusNotFound {
			t.Fatalf("generated secret: HTTP %d", st)
		}
		if st := status("given", given); st != http.StatusNotFound {
			t.Fatalf("given secret: HTTP %d", st)
		}
		if st := status("shop", c.SecretHash); st != http.StatusUnauthorized {
			t.Fatalf("the stored hash as the secret: HTTP %d", st)
		}
		// Rotation: the old secret stops working at once.
		s2, err := a.RotateSecret(ctx, "shop", "")
		if err != nil || s2 == cr.Secret {
			t.Fatal(err)
		}
		if status("shop", cr.Secret) != http.StatusUnauthorized || status("shop", s2) != http.StatusNotFound {
			t.Fatal("rotation did not replace the secret")
		}
	})
}

// Failed Basic authentications are limited per client id and per IP: once
// the budget is spent even the right secret is refused (429) until it refills.
func TestAPIClientAuthFailuresRateLimited(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Limits.APIAuthFailPerClient = ratelimit.Limit{Rate: 0.001, Burst: 3}
		c.Limits.APIAuthFailPerIP = ratelimit.Limit{Rate: 0.001, Burst: 6}
	}})
	status := func(id, secret string) int {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+rp.PathTransaction+"nope", nil)
		req.SetBasicAuth(id, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := 0; i < 3; i++ {
		if st := status(ts.APIClientID, "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("failure %d: HTTP %d", i+1, st)
		}
	}
	if st := status(ts.APIClientID, "wrong"); st != http.StatusTooManyRequests {
		t.Fatalf("after three failures: HTTP %d, want 429", st)
	}
	if st := status(ts.APIClientID, ts.APIClientSecret); st != http.StatusTooManyRequests {
		t.Fatalf("right secret while the client's budget is spent: HTTP %d, want 429", st)
	}
	// Per IP: unknown client ids from the same address run out the IP's budget.
	for i := 0; i < 3; i++ {
		status("nobody"+string(rune('a'+i)), "x")
	}
	a2, err := ts.Server.Admin().CreateAPIClient(ctx, server.APIClientSpec{ID: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if st := status("other", a2.Secret); st != http.StatusTooManyRequests {
		t.Fatalf("another client from the same IP after 6 failures: HTTP %d, want 429", st)
	}
}

// Callback URIs: https, or http to loopback; literal private and link-local
// addresses refused unless the operator allows them.
func TestCallbackURIRules(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := ts.Server.Admin()
	for _, ok := range []string{"https://shop.example/cb", "http://127.0.0.1:9000/cb", "http://[::1]:9000/cb", "http://localhost/cb", "https://203.0.113.9/cb"} {
		if err := a.AddCallbackURIs(ctx, ts.APIClientID, ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://shop.example/cb", "https://10.0.0.5/cb", "https://192.168.1.2/cb", "https://172.16.0.1/cb",
		"https://169.254.169.254/latest/meta-data", "https://[fe80::1]/cb", "https://[fd00::1]/cb", "https://0.0.0.0/cb",
		"https://[::ffff:10.0.0.1]/cb", "https://2130706433/cb", "https://user:pw@shop.example/cb", "javascript:alert(1)", "ftp://shop.example/cb"} {
		if err := a.AddCallbackURIs(ctx, ts.APIClientID, bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := a.AddCallbackURIsWith(ctx, ts.APIClientID, server.CallbackPolicy{AllowHTTP: true}, "http://shop.example/cb"); err != nil {
		t.Errorf("http with AllowHTTP: %v", err)
	}
	if err := a.AddCallbackURIsWith(ctx, ts.APIClientID, server.CallbackPolicy{AllowPrivate: true}, "https://10.0.0.5/cb"); err != nil {
		t.Errorf("private with AllowPrivate: %v", err)
	}
	if _, err := a.CreateAPIClient(ctx, server.APIClientSpec{ID: "p", CallbackURIs: []string{"https://169.254.169.254/x"}}); err == nil {
		t.Error("create with a link-local callback accepted")
	}
}
