package server_test

// The login page attacked from outside (session 4 red team); the outsider
// client is in attack_test.go.

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

// The login page from outside: without --trusted-proxies an
// X-Forwarded-For header does not buy a fresh per-IP budget (password
// spraying across user names), and a post without the form's CSRF token and
// cookie is not checked at all.
func TestAttackLoginPageHolds(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	o := newOutsider(t, ts.URL)
	o.register(server.DemoAppID, server.DemoRedirectURI)
	limited := 0
	for i := 0; i < 30; i++ {
		b := attackBrowser(t)
		b.Transport = xffTransport{fmt.Sprintf("203.0.113.%d", i+1)}
		_, _, st, _ := o.webLogin(b, url.Values{"username": {fmt.Sprintf("sprayed-%d", i)}, "password": {"Winter2026!"}})
		if st == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("30 logins with rotating X-Forwarded-For were never limited per IP")
	}
	// A cross-site post: the right password, no csrf token or cookie.
	q := url.Values{"response_type": {"code"}, "client_id": {o.clientID}, "redirect_uri": {o.redirect}, "code_challenge": {strings.Repeat("A", 43)},
		"code_challenge_method": {"S256"}}
	resp, err := attackBrowser(t).PostForm(ts.URL+"/oauth/authorize?"+q.Encode(), url.Values{"username": {ts.DemoUser}, "password": {ts.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Location") != "" {
		t.Fatalf("login post without CSRF token: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// xffTransport adds a chosen X-Forwarded-For to every request.
type xffTransport struct{ ip string }

func (x xffTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", x.ip)
	r.Header.Set("X-Real-IP", x.ip)
	return http.DefaultTransport.RoundTrip(r)
}
