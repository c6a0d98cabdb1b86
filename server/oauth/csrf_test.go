package oauth_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

func authorizeURL(ts *servertest.TestServer, d *servertest.Device, state string) string {
	_, challenge := protocol.NewPKCE()
	q := url.Values{"response_type": {"code"}, "client_id": {d.ClientID}, "redirect_uri": {d.RedirectURI}, "scope": {"openid"},
		"state": {state}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	return ts.URL + protocol.PathAuthorize + "?" + q.Encode()
}

// The login page names the application that asks (DESIGN §10), escaped.
func TestLoginPageNamesTheApplication(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	page, err := weblogin.Load(t.Context(), ts.NewDevice().HTTP, authorizeURL(ts, ts.NewDevice(), "s"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.HTML, server.DemoAppName+" wants to sign you in") {
		t.Fatalf("the login page does not name the demo application: %s", clip([]byte(page.HTML)))
	}
	if err := ts.Server.Admin().CreateApplication(t.Context(), server.ApplicationSpec{ID: "bank", Name: `Example Bank <b>&</b>`,
		RedirectURIs: []string{"bank://cb"}}); err != nil {
		t.Fatal(err)
	}
	d := ts.NewDevice()
	d.ClientID, d.AppID, d.RedirectURI = "", "bank", "bank://cb"
	if err := d.RegisterClient(); err != nil {
		t.Fatalf("registering for bank: %v", err)
	}
	page, err = weblogin.Load(t.Context(), d.HTTP, authorizeURL(ts, d, "s"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.HTML, "Example Bank &lt;b&gt;&amp;&lt;/b&gt; wants to sign you in") {
		t.Fatalf("the login page does not name the bank application (escaped): %s", clip([]byte(page.HTML)))
	}
	// A disabled or deleted application's clients get no login page.
	if err := ts.Server.Admin().SetApplicationEnabled(t.Context(), "bank", false); err != nil {
		t.Fatal(err)
	}
	resp, err := d.HTTP.Get(authorizeURL(ts, d, "s"))
	if err != nil {
		t.Fatal(err)
	}
	checkJSONError(t, "login page of a disabled application", resp)
	if err := ts.Server.Admin().DeleteApplication(t.Context(), "bank"); err != nil {
		t.Fatal(err)
	}
	resp, err = d.HTTP.Get(authorizeURL(ts, d, "s"))
	if err != nil {
		t.Fatal(err)
	}
	checkJSONError(t, "login page of a deleted application", resp)
}

// The login form's CSRF token is bound to its authorization request and to
// the browser's cookie (DESIGN §10): a forged POST without a token, with the
// token of another request, or from another browser is refused (403, no
// code) before the password is looked at; the genuine form succeeds.
func TestLoginFormCSRF(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	creds := url.Values{"username": {ts.DemoUser}, "password": {ts.DemoPassword}}
	u := authorizeURL(ts, d, "state-1")
	page, err := weblogin.Load(t.Context(), d.HTTP, u)
	if err != nil {
		t.Fatal(err)
	}
	token := page.Hidden.Get("csrf_token")
	if token == "" || len(page.Cookies) == 0 {
		t.Fatalf("the login page has no CSRF token or cookie: %s", clip([]byte(page.HTML)))
	}
	// Another authorization request in the same browser (same cookie).
	otherURL := authorizeURL(ts, d, "state-2")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, otherURL, nil)
	req.AddCookie(&http.Cookie{Name: page.Cookies[0].Name, Value: page.Cookies[0].Value})
	resp, err := d.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(resp.Cookies()) != 0 {
		t.Errorf("the login page replaced the browser's cookie: %v", resp.Cookies())
	}
	other := &weblogin.Page{URL: otherURL, HTML: string(html), Hidden: weblogin.HiddenFields(string(html)), Cookies: page.Cookies}
	otherBrowser, err := weblogin.Load(t.Context(), ts.NewDevice().HTTP, u)
	if err != nil {
		t.Fatal(err)
	}
	refused := func(name string, cookies []*http.Cookie, form url.Values) {
		t.Helper()
		resp := post(t, d.HTTP, u, cookies, form)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Location") != "" || !strings.Contains(string(body), "<form") {
			t.Errorf("%s: HTTP %d Location %q, want 403 and the form again", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	refused("no token, no cookie", nil, creds)
	refused("no token", page.Cookies, creds)
	refused("no cookie", nil, merge(page.Hidden, creds))
	refused("token of another request", page.Cookies, merge(other.Hidden, creds))
	refused("token of another browser", page.Cookies, merge(otherBrowser.Hidden, creds))
	refused("cookie of another browser", otherBrowser.Cookies, merge(page.Hidden, creds))
	refused("tampered token", page.Cookies, merge(url.Values{"csrf_token": {token[:len(token)-2] + "AA"}}, creds))
	refused("token of another time", page.Cookies, merge(url.Values{"csrf_token": {"1" + token}}, creds))
	// The refused posts did not count as login attempts: the genuine form
	// still logs in (and the page's own cookie and token go together).
	loc, err := page.Submit(t.Context(), d.HTTP, ts.DemoUser, ts.DemoPassword)
	if err != nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != "state-1" {
		t.Fatalf("genuine form: %v %v", loc, err)
	}
	// The other request's own form works with its own token.
	if loc, err := other.Submit(t.Context(), d.HTTP, ts.DemoUser, ts.DemoPassword); err != nil || loc.Query().Get("state") != "state-2" {
		t.Fatalf("other request's form: %v %v", loc, err)
	}
	// The cookie is HttpOnly and scoped to the login path.
	c := page.Cookies[0]
	if !c.HttpOnly || c.Path != protocol.PathAuthorize || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie %+v", c)
	}
}
