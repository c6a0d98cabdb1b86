package device_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// Client registration: the proof carries the registered key as jwk and is
// signed by it; the body's key must be that key.
func TestClientRegistration(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	if d.ClientID == "" {
		t.Fatal("no client id")
	}
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	wire, _ := protocol.EncodePublicKey(&k.PublicKey)
	body := protocol.ClientRegistrationRequest{AppID: server.DemoAppID, AppVersion: "1", Platform: "android", ClientKey: wire, RedirectURI: server.DemoRedirectURI}
	proof := func(key *ecdsa.PrivateKey, kid string, mutate func(*protocol.ProofClaims)) string {
		c := protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: "POST", HTU: ts.URL + protocol.PathClients, IAT: time.Now().Unix()}
		if mutate != nil {
			mutate(&c)
		}
		var pub *ecdsa.PublicKey
		if kid == "" {
			pub = &key.PublicKey
		}
		p, err := protocol.MakeProof(servertest.Signer(key), kid, pub, c)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	app, uri := server.DemoAppID, server.DemoRedirectURI
	for name, c := range map[string]struct {
		proof  string
		body   any
		status int
	}{
		"jwk of another key":  {proof(other, "", nil), body, http.StatusUnauthorized},
		"kid instead of jwk":  {proof(k, d.ClientID, nil), body, http.StatusUnauthorized},
		"stale":               {proof(k, "", func(c *protocol.ProofClaims) { c.IAT -= 120 }), body, http.StatusUnauthorized},
		"other url":           {proof(k, "", func(c *protocol.ProofClaims) { c.HTU = ts.URL + protocol.PathToken }), body, http.StatusUnauthorized},
		"no redirect uri":     {proof(k, "", nil), protocol.ClientRegistrationRequest{AppID: app, ClientKey: wire}, http.StatusBadRequest},
		"relative redirect":   {proof(k, "", nil), protocol.ClientRegistrationRequest{AppID: app, ClientKey: wire, RedirectURI: "/cb"}, http.StatusBadRequest},
		"no app id":           {proof(k, "", nil), protocol.ClientRegistrationRequest{ClientKey: wire, RedirectURI: uri}, http.StatusBadRequest},
		"key is not a key":    {proof(k, "", nil), protocol.ClientRegistrationRequest{AppID: app, ClientKey: "AAAA", RedirectURI: uri}, http.StatusBadRequest},
		"registered ok (x2)":  {proof(k, "", nil), body, http.StatusOK},
		"registered ok again": {proof(k, "", nil), body, http.StatusOK},
	} {
		st, b, err := d.Raw(http.MethodPost, protocol.PathClients, c.proof, "", c.body)
		if err != nil {
			t.Fatal(err)
		}
		if st != c.status {
			t.Errorf("%s: HTTP %d %s, want %d", name, st, b, c.status)
		}
	}
}

// register posts a registration for a fresh key from the test's loopback
// address with extra headers; it returns the status and the error string.
func register(t *testing.T, ts *servertest.TestServer, req protocol.ClientRegistrationRequest, hdr map[string]string) (int, string) {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	req.ClientKey, _ = protocol.EncodePublicKey(&k.PublicKey)
	proof, err := protocol.MakeProof(servertest.Signer(k), "", &k.PublicKey,
		protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: "POST", HTU: ts.URL + protocol.PathClients, IAT: time.Now().Unix()})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(req)
	r, _ := http.NewRequest(http.MethodPost, ts.URL+protocol.PathClients, bytes.NewReader(b))
	r.Header.Set("Content-Type", protocol.ContentTypeJSON)
	r.Header.Set(protocol.HeaderDPoP, proof)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var e protocol.ErrorResponse
	_ = json.Unmarshal(body, &e)
	return resp.StatusCode, e.Error
}

// DESIGN §10 / issue 11 item 1: a client registers only for a configured,
// enabled application, with one of its redirect URIs exactly (and its
// platform and version when the application lists them). Anything else — an
// attacker's host, javascript:, data:, a near miss of the real URI — is
// refused with a stable error, and no client is created.
func TestClientRegistrationNeedsApplication(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := ts.Server.Admin()
	for _, spec := range []server.ApplicationSpec{
		{ID: "bank", Name: "Example Bank", RedirectURIs: []string{"bank://registration/callback", "https://bank.example/cb"},
			Platforms: []string{"android", "ios"}, Versions: []string{"3.1.0"}},
		{ID: "old", Name: "Old app", RedirectURIs: []string{"old://cb"}, Disabled: true},
	} {
		if err := a.CreateApplication(t.Context(), spec); err != nil {
			t.Fatal(err)
		}
	}
	good := protocol.ClientRegistrationRequest{AppID: "bank", AppVersion: "3.1.0", Platform: "ios", RedirectURI: "https://bank.example/cb"}
	with := func(f func(*protocol.ClientRegistrationRequest)) protocol.ClientRegistrationRequest {
		r := good
		f(&r)
		return r
	}
	redirect := func(u string) protocol.ClientRegistrationRequest {
		return with(func(r *protocol.ClientRegistrationRequest) { r.RedirectURI = u })
	}
	for name, c := range map[string]struct {
		req  protocol.ClientRegistrationRequest
		want string
	}{
		"attacker's host":       {redirect("https://evil.example/steal"), protocol.ErrInvalidRedirectURI},
		"javascript:":           {redirect("javascript:alert(document.cookie)"), protocol.ErrInvalidRedirectURI},
		"data:":                 {redirect("data:text/html,<script>x</script>"), protocol.ErrInvalidRedirectURI},
		"other path":            {redirect("https://bank.example/cb/../steal"), protocol.ErrInvalidRedirectURI},
		"trailing slash":        {redirect("https://bank.example/cb/"), protocol.ErrInvalidRedirectURI},
		"upper-case host":       {redirect("https://BANK.example/cb"), protocol.ErrInvalidRedirectURI},
		"extra query":           {redirect("https://bank.example/cb?next=https://evil.example"), protocol.ErrInvalidRedirectURI},
		"userinfo":              {redirect("https://bank.example@evil.example/cb"), protocol.ErrInvalidRedirectURI},
		"another app's URI":     {redirect(server.DemoRedirectURI), protocol.ErrInvalidRedirectURI},
		"unknown application":   {with(func(r *protocol.ClientRegistrationRequest) { r.AppID = "evil" }), protocol.ErrInvalidClientMetadata},
		"disabled application":  {with(func(r *protocol.ClientRegistrationRequest) { r.AppID, r.RedirectURI = "old", "old://cb" }), protocol.ErrInvalidClientMetadata},
		"platform not listed":   {with(func(r *protocol.ClientRegistrationRequest) { r.Platform = "desktop" }), protocol.ErrInvalidClientMetadata},
		"version not listed":    {with(func(r *protocol.ClientRegistrationRequest) { r.AppVersion = "3.0.9" }), protocol.ErrInvalidClientMetadata},
		"no application at all": {with(func(r *protocol.ClientRegistrationRequest) { r.AppID = "" }), protocol.ErrInvalidRequest},
	} {
		st, e := register(t, ts, c.req, nil)
		if st != http.StatusBadRequest || e != c.want {
			t.Errorf("%s: HTTP %d %q, want 400 %q", name, st, e, c.want)
		}
	}
	for _, ok := range []protocol.ClientRegistrationRequest{good, redirect("bank://registration/callback"),
		with(func(r *protocol.ClientRegistrationRequest) { r.Platform = "android" })} {
		if st, e := register(t, ts, ok, nil); st != http.StatusOK {
			t.Errorf("%+v: HTTP %d %s", ok, st, e)
		}
	}
	// Disabling the application stops new registrations at once; enabling
	// it again allows them.
	if err := a.SetApplicationEnabled(t.Context(), "bank", false); err != nil {
		t.Fatal(err)
	}
	if st, e := register(t, ts, good, nil); st != http.StatusBadRequest || e != protocol.ErrInvalidClientMetadata {
		t.Errorf("disabled: HTTP %d %s", st, e)
	}
	if err := a.SetApplicationEnabled(t.Context(), "bank", true); err != nil {
		t.Fatal(err)
	}
	if st, e := register(t, ts, good, nil); st != http.StatusOK {
		t.Errorf("enabled again: HTTP %d %s", st, e)
	}
	if err := a.DeleteApplication(t.Context(), "bank"); err != nil {
		t.Fatal(err)
	}
	if st, e := register(t, ts, good, nil); st != http.StatusBadRequest || e != protocol.ErrInvalidClientMetadata {
		t.Errorf("deleted: HTTP %d %s", st, e)
	}
}

// Registration is rate-limited per client IP (DESIGN §10). Without trusted
// proxies X-Forwarded-For is ignored, so rotating it does not get a caller
// a fresh bucket; behind a trusted proxy each forwarded client has its own
// bucket (keyed on the right-most untrusted hop, not on anything the caller
// writes to the left of it).
func TestClientRegistrationRateLimitedPerIP(t *testing.T) {
	demo := protocol.ClientRegistrationRequest{AppID: server.DemoAppID, AppVersion: "1", Platform: "desktop", RedirectURI: server.DemoRedirectURI}
	limit := func(proxies ...string) servertest.Options {
		return servertest.Options{Config: func(c *server.Config) {
			c.Limits.RegisterPerIP = ratelimit.Limit{Rate: 0.001, Burst: 3}
			for _, p := range proxies {
				c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix(p))
			}
		}}
	}
	xff := func(v string) map[string]string { return map[string]string{"X-Forwarded-For": v} }

	t.Run("no trusted proxies", func(t *testing.T) {
		ts := servertest.Start(t, limit())
		for i := range 3 {
			if st, e := register(t, ts, demo, xff("203.0.113."+string(rune('1'+i)))); st != http.StatusOK {
				t.Fatalf("registration %d: HTTP %d %s", i, st, e)
			}
		}
		// A fourth from the same peer is refused, whatever it forwards.
		for _, h := range []map[string]string{nil, xff("198.51.100.7"), xff("198.51.100.8, 198.51.100.9")} {
			if st, e := register(t, ts, demo, h); st != http.StatusTooManyRequests || e != protocol.ErrRateLimited {
				t.Errorf("over the limit with %v: HTTP %d %s", h, st, e)
			}
		}
	})
	t.Run("behind a trusted proxy", func(t *testing.T) {
		ts := servertest.Start(t, limit("127.0.0.0/8", "10.0.0.0/8"))
		// Client A (through two trusted hops) spends its bucket; whatever A
		// puts left of its own address does not change the key.
		for i, v := range []string{"192.0.2.10", "1.1.1.1, 192.0.2.10", "192.0.2.10, 10.1.2.3"} {
			if st, e := register(t, ts, demo, xff(v)); st != http.StatusOK {
				t.Fatalf("client A %d: HTTP %d %s", i, st, e)
			}
		}
		if st, _ := register(t, ts, demo, xff("8.8.8.8, 192.0.2.10")); st != http.StatusTooManyRequests {
			t.Errorf("client A over the limit with a spoofed left-most hop: HTTP %d", st)
		}
		// Client B has its own bucket; so does the proxy itself.
		if st, e := register(t, ts, demo, xff("192.0.2.20")); st != http.StatusOK {
			t.Errorf("client B: HTTP %d %s", st, e)
		}
		if st, e := register(t, ts, demo, nil); st != http.StatusOK {
			t.Errorf("the proxy itself: HTTP %d %s", st, e)
		}
	})
}
