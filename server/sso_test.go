package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/servertest"
)

// App-to-web single sign-on (issue 17), on both stores: an authenticated
// device gets a one-time, short-lived URL for an allow-listed target; the
// URL, opened in a browser, signs the browser in (the session the login page
// honours) and redirects to exactly that target, once.

const ssoTarget = "https://bank.example/personal/dashboard"

// browser is a cookie-keeping HTTP client that does not follow redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// open GETs u in the browser and returns the status, the Location and the body.
func open(t *testing.T, b *http.Client, u string) (int, string, string) {
	t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// sessionUser is the user the browser's Token Server session names ("" when none).
func sessionUser(t *testing.T, ts *servertest.TestServer, b *http.Client) string {
	t.Helper()
	var out struct {
		UserID string `json:"user_id"`
	}
	status, _, body := open(t, b, ts.URL+protocol.PathWebSession)
	if status == http.StatusUnauthorized {
		return ""
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("session: %d %s", status, body)
	}
	return out.UserID
}

func ssoDevice(t *testing.T, ts *servertest.TestServer) *servertest.Device {
	t.Helper()
	ts.SetSSOTargets(server.DemoAppID, ssoTarget, "http://127.0.0.1:9/other")
	d := ts.NewDevice()
	if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSSOSignsTheBrowserInAndRedirectsOnce(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ssoDevice(t, ts)
		res, err := d.SSO(ssoTarget)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res.URL, ts.URL+protocol.PathSSORedeem+"?token=") || res.ExpiresIn != 60 || len(res.Token) != 43 {
			t.Fatalf("sso answer = %+v", res)
		}
		if u, _ := url.Parse(res.URL); u.Query().Get("token") != res.Token {
			t.Fatalf("the token is not the URL's token parameter: %+v", res)
		}
		b := browser(t)
		if u := sessionUser(t, ts, b); u != "" {
			t.Fatalf("a fresh browser is signed in as %q", u)
		}
		status, loc, _ := open(t, b, res.URL)
		if status != http.StatusFound || loc != ssoTarget {
			t.Fatalf("redemption: %d Location %q, want 302 to %s", status, loc, ssoTarget)
		}
		if u := sessionUser(t, ts, b); u != d.UserID {
			t.Fatalf("after redemption the browser is signed in as %q, want %q", u, d.UserID)
		}
		// Spent: a second opening (in this or another browser) is refused, without a redirect.
		for _, br := range []*http.Client{b, browser(t)} {
			if status, loc, body := open(t, br, res.URL); status != http.StatusBadRequest || loc != "" || !strings.Contains(body, "already used") {
				t.Fatalf("reuse: %d %q %q", status, loc, body)
			}
		}
		// The token never reaches the logs.
		if strings.Contains(ts.Logs.String(), res.Token) {
			t.Fatal("the sign-on token is in the log")
		}

		// The login page honours the session: "Continue as …" registers a
		// second device for the same user without the password.
		d2 := ts.NewDevice()
		verifier, challenge := protocol.NewPKCE()
		q := url.Values{"response_type": {"code"}, "client_id": {d2.ClientID}, "redirect_uri": {d2.RedirectURI}, "scope": {"openid"},
			"state": {"s1"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
		authz := ts.URL + protocol.PathAuthorize + "?" + q.Encode()
		status, _, page := open(t, b, authz)
		if status != http.StatusOK || !strings.Contains(page, "Continue as "+d.UserID) {
			t.Fatalf("login page with a session: %d %s", status, page)
		}
		form := weblogin.HiddenFields(page)
		// "Continue as" with a forged or missing CSRF token is refused like the password form.
		for _, forged := range []string{"", "1700000000.AAAA"} {
			bad := url.Values{"continue": {"1"}, "csrf_token": {forged}}
			resp, err := b.PostForm(authz, bad)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Location") != "" {
				t.Fatalf("continue as with csrf %q: %d %q", forged, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		form.Set("continue", "1")
		resp, err := b.PostForm(authz, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc2, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || loc2 == nil || loc2.Query().Get("code") == "" {
			t.Fatalf("continue as: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if err := d2.ExchangeCode(loc2.Query().Get("code"), verifier, "24680"); err != nil || d2.UserID != d.UserID {
			t.Fatalf("exchange after continue-as: %v (user %q)", err, d2.UserID)
		}
		// Without the session the same button is refused (a fresh browser).
		other := browser(t)
		_, _, page = open(t, other, authz)
		if strings.Contains(page, "Continue as") {
			t.Fatal("a browser without a session is offered Continue as")
		}
		form = weblogin.HiddenFields(page)
		form.Set("continue", "1")
		resp, err = other.PostForm(authz, form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" || !strings.Contains(string(body), "session has ended") {
			t.Fatalf("continue without a session: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		// Signing out ends the session.
		req, _ := http.NewRequest(http.MethodDelete, ts.URL+protocol.PathWebSession, nil)
		if resp, err := b.Do(req); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("sign out: %v", err)
		}
		if u := sessionUser(t, ts, b); u != "" {
			t.Fatalf("signed in as %q after signing out", u)
		}
	})
}

func TestSSOExpiresAfterItsLifetime(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ssoDevice(t, ts)
		early, err := d.SSO(ssoTarget)
		if err != nil {
			t.Fatal(err)
		}
		late, err := d.SSO(ssoTarget)
		if err != nil {
			t.Fatal(err)
		}
		ts.Clock.Advance(59 * time.Second)
		if status, loc, _ := open(t, browser(t), early.URL); status != http.StatusFound || loc != ssoTarget {
			t.Fatalf("at 59 s: %d %q", status, loc)
		}
		ts.Clock.Advance(time.Second) // exactly the lifetime
		b := browser(t)
		if status, loc, body := open(t, b, late.URL); status != http.StatusGone || loc != "" || !strings.Contains(body, "expired") {
			t.Fatalf("at 60 s: %d %q", status, loc)
		}
		if u := sessionUser(t, ts, b); u != "" {
			t.Fatalf("an expired link signed the browser in as %q", u)
		}
	})
}

func TestSSOTargetMustBeAllowListed(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ssoDevice(t, ts)
		// Exactly the listed string: near misses are refused at issue.
		for _, target := range []string{
			"https://bank.example/personal/dashboard/", "https://bank.example/personal/dashboard?x=1", "https://BANK.example/personal/dashboard",
			"https://bank.example/personal/dashboard#f", "https://evil.example/", "http://bank.example/personal/dashboard",
			"https://bank.example/personal/dashboard/../../evil",
		} {
			_, err := d.SSO(target)
			if e := wantErr(t, err, protocol.ErrSSOTargetNotAllowed); e.Status != http.StatusForbidden {
				t.Fatalf("%s: status %d", target, e.Status)
			}
		}
		for _, target := range []string{"", "/relative", strings.Repeat("a", 3000)} {
			_, err := d.SSO(target)
			wantErr(t, err, protocol.ErrInvalidRequest)
		}
		// Listed at issue, removed before redemption: refused then, no redirect.
		res, err := d.SSO(ssoTarget)
		if err != nil {
			t.Fatal(err)
		}
		ts.SetSSOTargets(server.DemoAppID, "http://127.0.0.1:9/other")
		b := browser(t)
		if status, loc, _ := open(t, b, res.URL); status != http.StatusForbidden || loc != "" {
			t.Fatalf("redeeming for a target no longer listed: %d %q", status, loc)
		}
		if u := sessionUser(t, ts, b); u != "" {
			t.Fatalf("signed in as %q", u)
		}
		// A disabled application issues nothing.
		if err := ts.Server.Admin().SetApplicationEnabled(ctx, server.DemoAppID, false); err != nil {
			t.Fatal(err)
		}
		_, err = d.SSO("http://127.0.0.1:9/other")
		wantErr(t, err, protocol.ErrSSOTargetNotAllowed)
		// No targets: single sign-on is off.
		if err := ts.Server.Admin().SetApplicationEnabled(ctx, server.DemoAppID, true); err != nil {
			t.Fatal(err)
		}
		ts.SetSSOTargets(server.DemoAppID)
		_, err = d.SSO("http://127.0.0.1:9/other")
		wantErr(t, err, protocol.ErrSSOTargetNotAllowed)
	})
}

func TestSSONeedsAnAuthenticatedUser(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ssoDevice(t, ts)
		// Without an access token.
		status, _, err := d.Raw(http.MethodPost, protocol.PathSSO, d.Proof(http.MethodPost, protocol.PathSSO, "", nil), "", protocol.SSORequest{TargetURI: ssoTarget})
		if err != nil || status != http.StatusUnauthorized {
			t.Fatalf("without a token: %d %v", status, err)
		}
		// An implicit (PIN-less) token is not enough.
		imp, err := d.LimitedToken(d.ProfileID, "read")
		if err != nil {
			t.Fatal(err)
		}
		access := d.Access
		d.Access = imp
		_, err = d.SSO(ssoTarget)
		wantErr(t, err, protocol.ErrInvalidToken)
		// Nor another client's token (the proof's key is this device's).
		d.Access = access
		other := ts.NewDevice()
		if err := other.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
			t.Fatal(err)
		}
		other.Access = d.Access
		_, err = other.SSO(ssoTarget)
		wantErr(t, err, protocol.ErrInvalidToken)
		// After logout the token is gone.
		if err := d.Call(http.MethodPost, protocol.PathLogout, true, map[string]string{}, nil); err != nil {
			t.Fatal(err)
		}
		_, err = d.SSO(ssoTarget)
		wantErr(t, err, protocol.ErrInvalidToken)
	})
}

func TestSSOOfADeregisteredUserIsDead(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ssoDevice(t, ts)
		res, err := d.SSO(ssoTarget)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Call(http.MethodPost, protocol.PathDeregister, false, protocol.DeregisterRequest{ProfileID: d.ProfileID}, nil); err != nil {
			t.Fatal(err)
		}
		b := browser(t)
		if status, loc, _ := open(t, b, res.URL); status != http.StatusForbidden || loc != "" {
			t.Fatalf("redeeming a deregistered user's link: %d %q", status, loc)
		}
		if u := sessionUser(t, ts, b); u != "" {
			t.Fatalf("signed in as %q", u)
		}
	})
}

func TestSSOConcurrentRedemptionSignsInOnce(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ssoDevice(t, ts)
		for round := 0; round < 3; round++ {
			res, err := d.SSO(ssoTarget)
			if err != nil {
				t.Fatal(err)
			}
			const n = 12
			var wg sync.WaitGroup
			var mu sync.Mutex
			codes := map[int]int{}
			start := make(chan struct{})
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					b := browser(t)
					<-start
					resp, err := b.Get(res.URL)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					mu.Lock()
					codes[resp.StatusCode]++
					mu.Unlock()
				}()
			}
			close(start)
			wg.Wait()
			if codes[http.StatusFound] != 1 || codes[http.StatusBadRequest] != n-1 {
				t.Fatalf("round %d: answers %v, want one 302 and %d 400", round, codes, n-1)
			}
		}
	})
}

func TestSSOIssueIsRateLimited(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Limits.SSOPerProfile = ratelimit.Limit{Rate: 0.0001, Burst: 3}
	}})
	d := ssoDevice(t, ts)
	for i := 0; i < 3; i++ {
		if _, err := d.SSO(ssoTarget); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	_, err := d.SSO(ssoTarget)
	wantErr(t, err, protocol.ErrRateLimited)
}

func TestSSORedemptionBadInput(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	b := browser(t)
	for _, q := range []string{"", "?token=", "?token=abc", "?token=" + protocol.RandomToken(32) + "&token=" + protocol.RandomToken(32),
		"?token=" + protocol.RandomToken(32), "?token=%zz"} {
		status, loc, _ := open(t, b, ts.URL+protocol.PathSSORedeem+q)
		if status != http.StatusBadRequest || loc != "" {
			t.Errorf("%q: %d %q", q, status, loc)
		}
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, ts.URL+protocol.PathSSORedeem+"?token="+protocol.RandomToken(32), nil)
	if resp, err := b.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %v", err)
	}
}

// A user the operator disabled (issue 16) gets no sign-on URL, cannot redeem
// one issued before, and the browser session of that user no longer
// continues on the login page.
func TestSSOOfADisabledUserIsRefused(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ssoDevice(t, ts)
		before, err := d.SSO(ssoTarget)
		if err != nil {
			t.Fatal(err)
		}
		signedIn, err := d.SSO(ssoTarget)
		if err != nil {
			t.Fatal(err)
		}
		b := browser(t)
		if status, _, _ := open(t, b, signedIn.URL); status != http.StatusFound {
			t.Fatalf("redemption before disabling: %d", status)
		}
		if _, err := ts.Server.Admin().SetUserDisabled(ctx, d.UserID, true); err != nil {
			t.Fatal(err)
		}
		_, err = d.SSO(ssoTarget)
		wantErr(t, err, protocol.ErrInvalidToken) // disabling revokes the user's tokens
		if status, loc, _ := open(t, browser(t), before.URL); status != http.StatusForbidden || loc != "" {
			t.Fatalf("redeeming a disabled user's link: %d %q", status, loc)
		}
		d2 := ts.NewDevice()
		_, challenge := protocol.NewPKCE()
		q := url.Values{"response_type": {"code"}, "client_id": {d2.ClientID}, "redirect_uri": {d2.RedirectURI}, "scope": {"openid"},
			"state": {"s1"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
		authz := ts.URL + protocol.PathAuthorize + "?" + q.Encode()
		_, _, page := open(t, b, authz)
		form := weblogin.HiddenFields(page)
		form.Set("continue", "1")
		resp, err := b.PostForm(authz, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// Disabling ended the browser session too (attack_test.go): the
		// page asks for the password again and issues no code.
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" || sessionUser(t, ts, b) != "" {
			t.Fatalf("continue as a disabled user: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

// Only hashes of the sign-on token and of the browser session reach the
// database: neither secret is anywhere in the SQLite files (main and WAL).
func TestSSOStoresOnlyHashes(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ssoDevice(t, ts)
	res, err := d.SSO(ssoTarget)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := browser(t).Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == "oma_session" {
			session = c.Value
		}
	}
	if resp.StatusCode != http.StatusFound || session == "" {
		t.Fatalf("redemption: %d, session cookie %q", resp.StatusCode, session)
	}
	second, err := d.SSO(ssoTarget) // issued, not spent: its row is in the database now
	if err != nil {
		t.Fatal(err)
	}
	dbFile := strings.TrimPrefix(ts.StoreURL, "sqlite:")
	var all []byte
	for _, f := range []string{dbFile, dbFile + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if !bytes.Contains(all, []byte(secrethash.Token(second.Token))) {
		t.Fatal("the unspent token's hash is not in the database files: the check below would prove nothing")
	}
	for name, secret := range map[string]string{"spent token": res.Token, "unspent token": second.Token, "session": session} {
		if bytes.Contains(all, []byte(secret)) {
			t.Errorf("the %s is in the database in clear", name)
		}
	}
}
