package oauth_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/openmobileauth/oma/server/servertest"
)

func checkJSONError(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	servertest.CheckJSONError(t, what, resp)
}

// loginPost loads the login page at u as a browser would and posts form
// with the page's hidden fields (the CSRF token) and cookie.
func loginPost(t *testing.T, hc *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	page, err := weblogin.Load(t.Context(), hc, u)
	if err != nil {
		t.Fatal(err)
	}
	return post(t, hc, u, page.Cookies, merge(page.Hidden, form))
}

func merge(a, b url.Values) url.Values {
	out := url.Values{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// post posts form to u with cookies.
func post(t *testing.T, hc *http.Client, u string, cookies []*http.Cookie, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func clip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// The login flow: form, 302 to the app's redirect URI with code and state;
// the code is stored by hash and redeemable once.
func TestLoginRedirects(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	code, verifier, err := d.Login(ts.DemoUser, ts.DemoPassword)
	if err != nil || len(code) < 40 || verifier == "" {
		t.Fatalf("login: %q %v", code, err)
	}
	if err := d.ExchangeCode(code, verifier, "13579"); err != nil {
		t.Fatal(err)
	}
	if d.UserID != ts.DemoUserID {
		t.Fatalf("user %q", d.UserID)
	}
	// A redirect URI with a query keeps it.
	_, challenge := protocol.NewPKCE()
	q := url.Values{"response_type": {"code"}, "client_id": {d.ClientID}, "redirect_uri": {d.RedirectURI}, "code_challenge": {challenge},
		"code_challenge_method": {"S256"}, "state": {"s<t>&a=te"}}
	resp := loginPost(t, d.HTTP, ts.URL+protocol.PathAuthorize+"?"+q.Encode(), url.Values{"username": {ts.DemoUser}, "password": {ts.DemoPassword}})
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("state") != "s<t>&a=te" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The page escapes what it echoes.
	resp = loginPost(t, d.HTTP, ts.URL+protocol.PathAuthorize+"?"+q.Encode(), url.Values{"username": {"<script>x</script>"}, "password": {"nope-nope"}})
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "<script>x") || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatal("login page echoes unescaped input or can be framed")
	}
}

func TestBadInputAuthorize(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	_, challenge := protocol.NewPKCE()
	good := url.Values{"response_type": {"code"}, "client_id": {d.ClientID}, "redirect_uri": {d.RedirectURI}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	with := func(k, v string) string {
		q := url.Values{}
		for kk, vv := range good {
			q[kk] = vv
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q.Encode()
	}
	for name, q := range map[string]string{
		"no response_type":  with("response_type", ""),
		"token flow":        with("response_type", "token"),
		"no client":         with("client_id", ""),
		"unknown client":    with("client_id", "nope"),
		"redirect mismatch": with("redirect_uri", "https://evil.example/cb"),
		"no pkce":           with("code_challenge", ""),
		"plain pkce":        with("code_challenge_method", "plain"),
		"short challenge":   with("code_challenge", "abc"),
		"repeated":          good.Encode() + "&state=a&state=b",
		"malformed":         good.Encode() + "&%zz",
		"long state":        with("state", strings.Repeat("s", 600)),
	} {
		resp, err := d.HTTP.Get(ts.URL + protocol.PathAuthorize + "?" + q)
		if err != nil {
			t.Fatal(err)
		}
		checkJSONError(t, "authorize "+name, resp)
	}
	u := ts.URL + protocol.PathAuthorize + "?" + good.Encode()
	for name, c := range map[string]struct{ ctype, body string }{
		"json login":      {"application/json", `{"username":"demo"}`},
		"malformed form":  {"application/x-www-form-urlencoded", "username=%zz"},
		"huge form":       {"application/x-www-form-urlencoded", "username=demo&password=" + strings.Repeat("p", 10<<10)},
		"no content type": {"", "username=demo&password=demo1234"},
	} {
		req, _ := http.NewRequest("POST", u, strings.NewReader(c.body))
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		resp, err := d.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		checkJSONError(t, "login "+name, resp)
	}
	req, _ := http.NewRequest("DELETE", u, nil)
	resp, _ := d.HTTP.Do(req)
	checkJSONError(t, "authorize DELETE", resp)
	// A wrong password re-shows the form (200, HTML) with an error.
	resp = loginPost(t, d.HTTP, u, url.Values{"username": {"demo"}, "password": {"nope-nope"}})
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Wrong user name or password") || !strings.Contains(string(body), "<form") {
		t.Fatalf("wrong password: %d %s", resp.StatusCode, clip(body))
	}
}
