package server_test

// An outside attacker's view of the Token Server (session 4 red team): the
// client below is written from the OpenAPI document only (server/openapi),
// with net/http and the standard library's crypto — not softdevice or
// servertest's device — so it behaves like a third party's client. The
// server itself is the real one on loopback (servertest.Start).

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

var b64 = base64.RawURLEncoding

// outsider is a device client built from the OpenAPI document.
type outsider struct {
	t        *testing.T
	base     string
	key      *ecdsa.PrivateKey
	clientID string
	redirect string
	access   string
	refresh  string
	profile  string
	userID   string
	hc       *http.Client
}

func newOutsider(t *testing.T, base string) *outsider {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &outsider{t: t, base: base, key: k, hc: &http.Client{Timeout: 15 * time.Second}}
}

func randID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b64.EncodeToString(b)
}

// proof is a compact ES256 JWS (DPoP, RFC 9449) as the OpenAPI document
// describes it: kid = client id, or the key as jwk for registration.
func (o *outsider) proof(method, path, token string) string {
	hdr := map[string]any{"typ": "dpop+jwt", "alg": "ES256"}
	if o.clientID == "" {
		hdr["jwk"] = map[string]string{"kty": "EC", "crv": "P-256",
			"x": b64.EncodeToString(o.key.X.FillBytes(make([]byte, 32))), "y": b64.EncodeToString(o.key.Y.FillBytes(make([]byte, 32)))}
	} else {
		hdr["kid"] = o.clientID
	}
	claims := map[string]any{"jti": randID(), "htm": method, "htu": o.base + path, "iat": time.Now().Unix()}
	if token != "" {
		h := sha256.Sum256([]byte(token))
		claims["ath"] = b64.EncodeToString(h[:])
	}
	hj, _ := json.Marshal(hdr)
	cj, _ := json.Marshal(claims)
	in := b64.EncodeToString(hj) + "." + b64.EncodeToString(cj)
	d := sha256.Sum256([]byte(in))
	r, s, err := ecdsa.Sign(rand.Reader, o.key, d[:])
	if err != nil {
		o.t.Fatal(err)
	}
	sig := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	return in + "." + b64.EncodeToString(sig)
}

// call sends a device request (body JSON when non-nil) and decodes a JSON answer.
func (o *outsider) call(method, path string, withToken bool, body any) (int, map[string]any) {
	o.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	u := o.base + path
	req, _ := http.NewRequest(method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	tok := ""
	if withToken {
		tok = o.access
		req.Header.Set("Authorization", "DPoP "+tok)
	}
	p := path
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	req.Header.Set("DPoP", o.proof(method, p, tok))
	resp, err := o.hc.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// register registers the client for the application appID.
func (o *outsider) register(appID, redirect string) {
	o.t.Helper()
	der, _ := x509.MarshalPKIXPublicKey(&o.key.PublicKey)
	st, out := o.call(http.MethodPost, "/device/v1/clients", false,
		map[string]any{"app_id": appID, "client_key": b64.EncodeToString(der), "redirect_uri": redirect, "platform": "android"})
	if st != http.StatusOK {
		o.t.Fatalf("client registration: %d %v", st, out)
	}
	o.clientID, o.redirect = out["client_id"].(string), redirect
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

// webLogin runs the login page in browser b (a cookie jar, no redirects
// followed) with form fields extra and returns the authorization code and
// PKCE verifier ("" code when the page did not redirect).
func (o *outsider) webLogin(b *http.Client, extra url.Values) (code, verifier string, status int, page string) {
	o.t.Helper()
	vb := make([]byte, 32)
	_, _ = rand.Read(vb)
	verifier = b64.EncodeToString(vb)
	ch := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {o.clientID}, "redirect_uri": {o.redirect}, "state": {"st"},
		"code_challenge": {b64.EncodeToString(ch[:])}, "code_challenge_method": {"S256"}}
	authz := o.base + "/oauth/authorize?" + q.Encode()
	resp, err := b.Get(authz)
	if err != nil {
		o.t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindStringSubmatch(string(raw))
	if m == nil {
		o.t.Fatalf("login page without a csrf token: %d %s", resp.StatusCode, raw)
	}
	form := url.Values{"csrf_token": {strings.ReplaceAll(m[1], "&#43;", "+")}}
	for k, v := range extra {
		form[k] = v
	}
	resp, err = b.PostForm(authz, form)
	if err != nil {
		o.t.Fatal(err)
	}
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc != nil {
		code = loc.Query().Get("code")
	}
	return code, verifier, resp.StatusCode, string(raw)
}

// redeem exchanges a code with the new PIN.
func (o *outsider) redeem(code, verifier, pin string) (int, map[string]any) {
	o.t.Helper()
	st, out := o.call(http.MethodPost, "/device/v1/token", false, map[string]any{"grant_type": "authorization_code", "code": code,
		"code_verifier": verifier, "redirect_uri": o.redirect, "pin": pin})
	if st == http.StatusOK {
		o.take(out)
	}
	return st, out
}

func (o *outsider) take(out map[string]any) {
	o.access, _ = out["access_token"].(string)
	if r, ok := out["refresh_token"].(string); ok {
		o.refresh = r
	}
	if p, ok := out["profile_id"].(string); ok && p != "" {
		o.profile = p
	}
	if u, ok := out["user_id"].(string); ok && u != "" {
		o.userID = u
	}
}

// signUp registers a user through the password login page.
func (o *outsider) signUp(user, password, pin string) {
	o.t.Helper()
	code, verifier, st, page := o.webLogin(attackBrowser(o.t), url.Values{"username": {user}, "password": {password}})
	if code == "" {
		o.t.Fatalf("login: %d %s", st, page)
	}
	if st, out := o.redeem(code, verifier, pin); st != http.StatusOK {
		o.t.Fatalf("code grant: %d %v", st, out)
	}
}

// attackBrowser keeps cookies and does not follow redirects.
func attackBrowser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// browserSession is the user the browser's Token Server session names ("" none).
func browserSession(t *testing.T, base string, b *http.Client) string {
	t.Helper()
	resp, err := b.Get(base + "/oauth/session")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		UserID string `json:"user_id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	return out.UserID
}

// ssoSession signs browser b in through an app-to-web sign-on URL of o's user.
func (o *outsider) ssoSession(b *http.Client, target string) {
	o.t.Helper()
	st, out := o.call(http.MethodPost, "/device/v1/sso", true, map[string]any{"target_uri": target})
	if st != http.StatusOK {
		o.t.Fatalf("sso: %d %v", st, out)
	}
	resp, err := b.Get(out["url"].(string))
	if err != nil {
		o.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || browserSession(o.t, o.base, b) != o.userID {
		o.t.Fatalf("sso redemption: %d", resp.StatusCode)
	}
}

// A browser session (app-to-web single sign-on) stands in for the password
// on the login page ("Continue as"). It must end with what ends the user's
// right to sign in: the user deleted (the user id, a user name, can be
// given to someone else), disabled, or their devices reset by the operator
// (the answer to a lost or stolen phone, whose browser holds the session).
// Before the fix the session outlived all three: a deleted and re-created
// "carol" was signed in as the new carol by the old carol's browser.
func TestAttackBrowserSessionOutlivesTheUser(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		ts.SetSSOTargets(server.DemoAppID, ssoTarget)
		ctx := context.Background()
		for _, end := range []string{"delete", "disable", "reset-devices"} {
			t.Run(end, func(t *testing.T) {
				user := "carol-" + end
				ts.CreateUser(user, "first-password-1")
				phone := newOutsider(t, ts.URL)
				phone.register(server.DemoAppID, server.DemoRedirectURI)
				phone.signUp(user, "first-password-1", "13579")
				b := attackBrowser(t)
				phone.ssoSession(b, ssoTarget)

				admin := ts.Server.Admin()
				switch end {
				case "delete":
					if _, err := admin.DeleteUser(ctx, user); err != nil {
						t.Fatal(err)
					}
					ts.CreateUser(user, "someone-elses-pw") // the name goes to someone else
				case "disable":
					if _, err := admin.SetUserDisabled(ctx, user, true); err != nil {
						t.Fatal(err)
					}
					if _, err := admin.SetUserDisabled(ctx, user, false); err != nil {
						t.Fatal(err)
					}
				case "reset-devices":
					if _, err := admin.ResetUserDevices(ctx, user); err != nil {
						t.Fatal(err)
					}
				}
				if u := browserSession(t, ts.URL, b); u != "" {
					t.Errorf("after %s the old browser session still names %q", end, u)
				}
				// The attacker's own new client, through the old browser's "Continue as".
				thief := newOutsider(t, ts.URL)
				thief.register(server.DemoAppID, server.DemoRedirectURI)
				code, verifier, st, _ := thief.webLogin(b, url.Values{"continue": {"1"}})
				if code != "" {
					st, out := thief.redeem(code, verifier, "24680")
					t.Fatalf("after %s the old browser session got a code for %q (token grant %d %v)", end, user, st, out["user_id"])
				}
				if st == http.StatusFound {
					t.Fatalf("after %s: redirected", end)
				}
			})
		}
	})
}
