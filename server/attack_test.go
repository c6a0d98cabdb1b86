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
	q := url.Values{"response_type": {"code"}, "client_id": {o.clientID}, "redirect_uri": {o.redirect}, "state": {"st"}, "scope": {"openid"},
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
		for _, end := range []string{"delete", "disable", "reset-devices", "revoke-enrollment"} {
			t.Run(end, func(t *testing.T) {
				user := "carol-" + end
				ts.CreateUser(user, "first-password-1")
				phone := newOutsider(t, ts.URL)
				phone.register(server.DemoAppID, server.DemoRedirectURI)
				phone.signUp(user, "first-password-1", "13579")
				b := attackBrowser(t)
				phone.ssoSession(b, ssoTarget)
				enrollment := ""
				if end == "revoke-enrollment" {
					st, out := phone.enroll()
					if st != http.StatusOK {
						t.Fatalf("enroll: %d %v", st, out)
					}
					enrollment = out["enrollment_id"].(string)
				}

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
				case "revoke-enrollment":
					if err := admin.RevokeEnrollment(ctx, user, enrollment); err != nil {
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

// customRegister runs custom registration (init, complete) with identity
// provider idpID and the backend's code letter, then redeems the code.
func (o *outsider) customRegister(idpID, letter, pin string) (int, map[string]any) {
	o.t.Helper()
	vb := make([]byte, 32)
	_, _ = rand.Read(vb)
	verifier := b64.EncodeToString(vb)
	ch := sha256.Sum256([]byte(verifier))
	st, out := o.call(http.MethodPost, "/device/v1/registration/custom/init", false,
		map[string]any{"identity_provider_id": idpID, "scope": "openid", "code_challenge": b64.EncodeToString(ch[:])})
	if st != http.StatusOK {
		o.t.Fatalf("custom init: %d %v", st, out)
	}
	st, out = o.call(http.MethodPost, "/device/v1/registration/custom/complete", false,
		map[string]any{"session": out["session"], "data": letter})
	if st != http.StatusOK {
		return st, out
	}
	return o.redeem(out["code"].(string), verifier, pin)
}

// A user the operator disabled gets no tokens by any way in: the login page
// refuses them, and so must custom registration, whose backend knows
// nothing of the Token Server's flag and names the user again. Before the
// fix the code grant issued a profile and tokens to the disabled user (the
// user resources then answered for them).
func TestAttackDisabledUserThroughCustomRegistration(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		backend := servertest.StartLetterBackend(t, map[string]string{"LETTER-1": "dave", "LETTER-2": "dave"})
		ts.CreateCustomIdP(server.DemoAppID, "letter", "Letter", backend)
		first := newOutsider(t, ts.URL)
		first.register(server.DemoAppID, server.DemoRedirectURI)
		if st, out := first.customRegister("letter", "LETTER-1", "13579"); st != http.StatusOK || first.userID != "dave" {
			t.Fatalf("custom registration of an enabled user: %d %v", st, out)
		}
		if _, err := ts.Server.Admin().SetUserDisabled(context.Background(), "dave", true); err != nil {
			t.Fatal(err)
		}
		again := newOutsider(t, ts.URL)
		again.register(server.DemoAppID, server.DemoRedirectURI)
		st, out := again.customRegister("letter", "LETTER-2", "24680")
		if st == http.StatusOK || again.access != "" {
			t.Fatalf("a disabled user registered again through custom registration: %d %v", st, out)
		}
		if out["error"] != "user_disabled" {
			t.Fatalf("refusal: %d %v, want user_disabled", st, out)
		}
	})
}

// rawProof is a proof with chosen header and claims, signed by key (alg
// "none" and other forgeries leave the signature off or wrong).
func rawProof(t *testing.T, key *ecdsa.PrivateKey, hdr, claims map[string]any, sign bool) string {
	hj, _ := json.Marshal(hdr)
	cj, _ := json.Marshal(claims)
	in := b64.EncodeToString(hj) + "." + b64.EncodeToString(cj)
	if !sign {
		return in + "."
	}
	d := sha256.Sum256([]byte(in))
	r, s, err := ecdsa.Sign(rand.Reader, key, d[:])
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + b64.EncodeToString(append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...))
}

// send is a device request with an explicit DPoP header and token.
func (o *outsider) send(method, path, proof, token string, body any) (int, map[string]any) {
	o.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, o.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "DPoP "+token)
	}
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
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

// The device API's authorization, probed from outside: each line is an
// attack that held (the server refused it). Tokens of the wrong kind, of
// another client or used with another key; IDOR on another client's
// profile; refresh-token reuse; DPoP forgeries (alg none, HS256, another
// key under the victim's kid, wrong htu forms, stale or future iat, reused
// jti).
func TestAttackDeviceAuthorizationHolds(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	ts.SetSSOTargets(server.DemoAppID, ssoTarget)
	ts.CreateUser("erin", "erin-password-1")
	ts.CreateUser("mallory", "mallory-password")
	victim := newOutsider(t, ts.URL)
	victim.register(server.DemoAppID, server.DemoRedirectURI)
	victim.signUp("erin", "erin-password-1", "13579")
	attacker := newOutsider(t, ts.URL)
	attacker.register(server.DemoAppID, server.DemoRedirectURI)
	attacker.signUp("mallory", "mallory-password", "24680")

	refused := func(what string, st int, out map[string]any, codes ...string) {
		t.Helper()
		if st < 400 {
			t.Errorf("%s: accepted (%d %v)", what, st, out)
			return
		}
		for _, c := range codes {
			if out["error"] == c {
				return
			}
		}
		t.Errorf("%s: %d %v, want one of %v", what, st, out, codes)
	}

	// Limited tokens where a PIN-login token is needed.
	st, out := victim.call(http.MethodPost, "/device/v1/token", false, map[string]any{"grant_type": "urn:oma:params:grant-type:implicit", "profile_id": victim.profile})
	if st != http.StatusOK {
		t.Fatalf("implicit grant: %d %v", st, out)
	}
	implicit := out["access_token"].(string)
	st, out = victim.call(http.MethodPost, "/device/v1/token", false, map[string]any{"grant_type": "client_credentials"})
	if st != http.StatusOK {
		t.Fatalf("client credentials: %d %v", st, out)
	}
	device := out["access_token"].(string)
	full := victim.access
	for _, lim := range []struct{ name, tok string }{{"implicit", implicit}, {"device", device}} {
		victim.access = lim.tok
		st, out = victim.call(http.MethodPost, "/device/v1/sso", true, map[string]any{"target_uri": ssoTarget})
		refused(lim.name+" token for sso", st, out, "invalid_token")
		st, out = victim.call(http.MethodGet, "/device/v1/userinfo", true, nil)
		refused(lim.name+" token for userinfo", st, out, "invalid_token")
		st, out = victim.call(http.MethodGet, "/resources/profile", true, nil)
		refused(lim.name+" token for the user resource", st, out, "insufficient_scope")
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		csr, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, k)
		st, out = victim.call(http.MethodPost, "/device/v1/mobile-auth/enroll", true, map[string]any{"csr": b64.EncodeToString(csr)})
		refused(lim.name+" token for enrollment", st, out, "invalid_token")
	}
	victim.access = device
	st, out = victim.call(http.MethodGet, "/resources/user-id", true, nil)
	refused("device token for the user-id resource", st, out, "insufficient_scope")
	victim.access = full

	// The victim's token with the attacker's proof (another client).
	st, out = attacker.send(http.MethodGet, "/device/v1/userinfo", attacker.proof(http.MethodGet, "/device/v1/userinfo", full), full, nil)
	refused("victim's token, attacker's client", st, out, "invalid_token")
	// The attacker's key signing under the victim's kid.
	saved := attacker.clientID
	attacker.clientID = victim.clientID
	st, out = attacker.send(http.MethodGet, "/device/v1/userinfo", attacker.proof(http.MethodGet, "/device/v1/userinfo", full), full, nil)
	attacker.clientID = saved
	refused("attacker's key under the victim's kid", st, out, "invalid_dpop_proof")

	// IDOR: the attacker's client names the victim's profile.
	for _, p := range []struct{ method, path string }{
		{http.MethodPost, "/device/v1/deregister"},
		{http.MethodPost, "/device/v1/token"},
		{http.MethodGet, "/device/v1/mobile-auth/push/pending?profile_id=" + victim.profile},
	} {
		var body any
		switch p.path {
		case "/device/v1/deregister":
			body = map[string]any{"profile_id": victim.profile}
		case "/device/v1/token":
			body = map[string]any{"grant_type": "urn:oma:params:grant-type:implicit", "profile_id": victim.profile}
		}
		st, out = attacker.call(p.method, p.path, false, body)
		if p.path == "/device/v1/deregister" && st == http.StatusOK {
			// idempotent answer: it must not have removed the victim's profile
			if st2, out2 := victim.call(http.MethodGet, "/device/v1/userinfo", true, nil); st2 != http.StatusOK {
				t.Errorf("the attacker's deregister removed the victim's profile: %d %v", st2, out2)
			}
			continue
		}
		refused("attacker on the victim's profile: "+p.path, st, out, "user_deregistered", "not_enrolled", "invalid_request")
	}

	// Refresh-token reuse revokes the family.
	old := victim.refresh
	st, out = victim.call(http.MethodPost, "/device/v1/token", false, map[string]any{"grant_type": "refresh_token", "refresh_token": old})
	if st != http.StatusOK {
		t.Fatalf("refresh: %d %v", st, out)
	}
	victim.take(out)
	st, out = attacker.call(http.MethodPost, "/device/v1/token", false, map[string]any{"grant_type": "refresh_token", "refresh_token": victim.refresh})
	refused("victim's refresh token at the attacker's client", st, out, "invalid_grant")
	st, out = victim.call(http.MethodPost, "/device/v1/token", false, map[string]any{"grant_type": "refresh_token", "refresh_token": old})
	refused("refresh token reused", st, out, "invalid_grant")
	st, out = victim.call(http.MethodGet, "/device/v1/userinfo", true, nil)
	refused("access token of a family revoked by reuse", st, out, "invalid_token")

	// DPoP forgeries on the attacker's own token.
	path := "/device/v1/userinfo"
	ath := sha256.Sum256([]byte(attacker.access))
	claims := func(mut func(map[string]any)) map[string]any {
		c := map[string]any{"jti": randID(), "htm": "GET", "htu": ts.URL + path, "iat": time.Now().Unix(), "ath": b64.EncodeToString(ath[:])}
		if mut != nil {
			mut(c)
		}
		return c
	}
	es := map[string]any{"typ": "dpop+jwt", "alg": "ES256", "kid": attacker.clientID}
	forgeries := []struct {
		name  string
		proof string
	}{
		{"alg none", rawProof(t, attacker.key, map[string]any{"typ": "dpop+jwt", "alg": "none", "kid": attacker.clientID}, claims(nil), false)},
		{"alg HS256", rawProof(t, attacker.key, map[string]any{"typ": "dpop+jwt", "alg": "HS256", "kid": attacker.clientID}, claims(nil), true)},
		{"jwk of another key beside the kid", rawProof(t, victim.key, map[string]any{"typ": "dpop+jwt", "alg": "ES256", "kid": attacker.clientID,
			"jwk": map[string]string{"kty": "EC", "crv": "P-256", "x": b64.EncodeToString(victim.key.X.FillBytes(make([]byte, 32))), "y": b64.EncodeToString(victim.key.Y.FillBytes(make([]byte, 32)))}}, claims(nil), true)},
		{"htu with a query", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["htu"] = ts.URL + path + "?x=1" }), true)},
		{"htu with a trailing slash", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["htu"] = ts.URL + path + "/" }), true)},
		{"htu upper case path", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["htu"] = ts.URL + strings.ToUpper(path) }), true)},
		{"htu another host", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["htu"] = "http://evil.example" + path }), true)},
		{"htu another endpoint", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["htu"] = ts.URL + "/device/v1/logout" }), true)},
		{"htm POST", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["htm"] = "POST" }), true)},
		{"iat +10 min", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["iat"] = time.Now().Unix() + 600 }), true)},
		{"iat -10 min", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["iat"] = time.Now().Unix() - 600 }), true)},
		{"no ath", rawProof(t, attacker.key, es, claims(func(c map[string]any) { delete(c, "ath") }), true)},
		{"ath of another token", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["ath"] = b64.EncodeToString(make([]byte, 32)) }), true)},
		{"signature of another key", rawProof(t, victim.key, es, claims(nil), true)},
	}
	for _, f := range forgeries {
		st, out = attacker.send(http.MethodGet, path, f.proof, attacker.access, nil)
		refused("DPoP "+f.name, st, out, "invalid_dpop_proof")
	}
	// A Host header pointing elsewhere does not change what htu must be.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	req.Host = "evil.example"
	req.Header.Set("Authorization", "DPoP "+attacker.access)
	req.Header.Set("DPoP", rawProof(t, attacker.key, es, claims(func(c map[string]any) { c["htu"] = "http://evil.example" + path }), true))
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("htu following a forged Host header: %d", resp.StatusCode)
		}
	}
	// The same proof twice.
	p := attacker.proof(http.MethodGet, path, attacker.access)
	if st, out = attacker.send(http.MethodGet, path, p, attacker.access, nil); st != http.StatusOK {
		t.Fatalf("fresh proof: %d %v", st, out)
	}
	st, out = attacker.send(http.MethodGet, path, p, attacker.access, nil)
	refused("jti reused", st, out, "invalid_dpop_proof")
}

// enroll enrolls a fresh P-256 key for o's profile.
func (o *outsider) enroll() (int, map[string]any) {
	o.t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, k)
	if err != nil {
		o.t.Fatal(err)
	}
	return o.call(http.MethodPost, "/device/v1/mobile-auth/enroll", true, map[string]any{"csr": b64.EncodeToString(csr)})
}

// pinLogin logs o's profile in with its PIN.
func (o *outsider) pinLogin(pin string) {
	o.t.Helper()
	st, out := o.call(http.MethodPost, "/device/v1/token", false, map[string]any{"grant_type": "pin", "profile_id": o.profile, "pin": pin})
	if st != http.StatusOK {
		o.t.Fatalf("pin login: %d %v", st, out)
	}
	o.take(out)
}

// A phone stolen with its PIN (shoulder-surfed): the user reports it and the
// operator resets the user's devices (or revokes that enrollment). Before
// the fix the stolen phone's registration survived the reset and re-enrolled
// at once with the PIN alone (under the single policy the real user's new
// phone was then refused, 9018), or signed a browser in through single
// sign-on and registered a new device from there. A profile whose
// enrollment the operator removed must register again with the password.
func TestAttackStolenPhoneReenrollsAfterReset(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		ts.SetSSOTargets(server.DemoAppID, ssoTarget)
		ctx := context.Background()
		for _, how := range []string{"reset-devices", "revoke-enrollment"} {
			t.Run(how, func(t *testing.T) {
				user := "frank-" + how
				ts.CreateUser(user, "franks-password")
				stolen := newOutsider(t, ts.URL)
				stolen.register(server.DemoAppID, server.DemoRedirectURI)
				stolen.signUp(user, "franks-password", "13579")
				st, out := stolen.enroll()
				if st != http.StatusOK {
					t.Fatalf("enroll: %d %v", st, out)
				}
				admin := ts.Server.Admin()
				if how == "reset-devices" {
					if _, err := admin.ResetUserDevices(ctx, user); err != nil {
						t.Fatal(err)
					}
				} else if err := admin.RevokeEnrollment(ctx, user, out["enrollment_id"].(string)); err != nil {
					t.Fatal(err)
				}
				// The thief, with the phone and its PIN.
				stolen.pinLogin("13579")
				if st, out := stolen.enroll(); st == http.StatusOK || out["error"] != "user_disenrolled" {
					t.Errorf("the stolen phone re-enrolled after the operator removed it: %d %v", st, out)
				}
				if st, out := stolen.call(http.MethodPost, "/device/v1/sso", true, map[string]any{"target_uri": ssoTarget}); st == http.StatusOK || out["error"] != "user_disenrolled" {
					t.Errorf("the stolen phone got a sign-on URL after the operator removed it: %d %v", st, out)
				}
				// The real user's new phone enrolls.
				fresh := newOutsider(t, ts.URL)
				fresh.register(server.DemoAppID, server.DemoRedirectURI)
				fresh.signUp(user, "franks-password", "24680")
				if st, out := fresh.enroll(); st != http.StatusOK {
					t.Fatalf("the user's new phone: %d %v", st, out)
				}
			})
		}
	})
}
