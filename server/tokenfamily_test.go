package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

func refresh(d *servertest.Device, token string) (protocol.TokenResponse, error) {
	var tr protocol.TokenResponse
	err := d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantRefreshToken, RefreshToken: token}, &tr)
	return tr, err
}

// Issue 11, item 10: refresh R1 gives R2 (and an access token A2); R1
// presented again is refused AND revokes R2, A2 and everything else of that
// login's family. Another login's tokens (a PIN login of the same profile)
// are not touched.
func TestRefreshReuseRevokesFamily(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		r1, a1 := d.Refresh, d.Access
		tr2, err := refresh(d, r1)
		if err != nil {
			t.Fatal(err)
		}
		tr3, err := refresh(d, tr2.RefreshToken) // a second rotation: R3, A3
		if err != nil {
			t.Fatal(err)
		}
		// A separate login (PIN) of the same profile: another family.
		other := *d
		if err := other.Authenticate("13579"); err != nil {
			t.Fatal(err)
		}
		works := func(access string) bool {
			d.Access = access
			return d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil) == nil
		}
		for _, a := range []string{a1, tr2.AccessToken, tr3.AccessToken} {
			if !works(a) {
				t.Fatal("access tokens of the family work before the reuse")
			}
		}
		_, err = refresh(d, r1) // the reuse
		wantErr(t, err, protocol.ErrInvalidGrant)
		for i, a := range []string{a1, tr2.AccessToken, tr3.AccessToken} {
			if works(a) {
				t.Fatalf("access token %d of the family works after the reuse", i+1)
			}
		}
		for _, r := range []string{tr2.RefreshToken, tr3.RefreshToken} {
			_, err := refresh(d, r)
			wantErr(t, err, protocol.ErrInvalidGrant)
		}
		if !works(other.Access) {
			t.Fatal("another login's access token was revoked too")
		}
		if _, err := refresh(d, other.Refresh); err != nil {
			t.Fatalf("another login's refresh token: %v", err)
		}
		if !contains(ts.Logs.String(), `"event":"refresh_token_reused"`) {
			t.Fatal("no audit record of the reuse")
		}
	})
}

// Scopes: only configured scopes may be requested (invalid_scope before the
// login page, redirected to the app with the state as RFC 6749 §4.1.2.1 says,
// so that the SDK's registration ends), and the user-info endpoint needs
// "openid" — also after a PIN login, which issues the scope granted at
// registration again.
func TestScopesEnforced(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	_, challenge := protocol.NewPKCE()
	for scope, want := range map[string]int{"openid": 200, "openid profile": 200, "": 200, "openid admin": 302, "write": 302} {
		u := ts.URL + protocol.PathAuthorize + "?response_type=code&client_id=" + d.ClientID + "&redirect_uri=" + d.RedirectURI +
			"&code_challenge_method=S256&code_challenge=" + challenge + "&state=st8&scope=" + url.QueryEscape(scope)
		resp, err := d.HTTP.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("scope %q: HTTP %d, want %d", scope, resp.StatusCode, want)
		}
		if want == 302 {
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil || loc.Scheme+"://"+loc.Host+loc.Path != d.RedirectURI || loc.Query().Get("error") != "invalid_scope" ||
				loc.Query().Get("state") != "st8" || loc.Query().Get("code") != "" {
				t.Errorf("scope %q: Location %q, want the redirect URI with error=invalid_scope and the state", scope, resp.Header.Get("Location"))
			}
		}
	}
	// A foreign redirect URI with a bad scope is still answered here, never redirected.
	u := ts.URL + protocol.PathAuthorize + "?response_type=code&client_id=" + d.ClientID + "&redirect_uri=" + url.QueryEscape("https://evil.example/cb") +
		"&code_challenge_method=S256&code_challenge=" + challenge + "&scope=write"
	if resp, err := d.HTTP.Get(u); err != nil || resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Fatalf("foreign redirect URI with a bad scope: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// A registration with scope "profile" only: user-info refused, also after a PIN login.
	d.Scope = "profile"
	code, ver, err := d.Login(ts.DemoUser, ts.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.ExchangeCode(code, ver, "13579"); err != nil {
		t.Fatal(err)
	}
	err = d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil)
	if ae := wantErr(t, err, protocol.ErrInvalidToken); !contains(ae.ErrorDescription, "openid scope") {
		t.Fatalf("userinfo without openid: %+v", ae)
	}
	if err := d.Authenticate("13579"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil), protocol.ErrInvalidToken)
	// With openid (the SDK's default) it works, after a PIN login too.
	e := ts.NewDevice()
	if err := e.RegisterUser(ts.DemoUser, ts.DemoPassword, "24680"); err != nil {
		t.Fatal(err)
	}
	if err := e.Authenticate("24680"); err != nil {
		t.Fatal(err)
	}
	if err := e.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil); err != nil {
		t.Fatalf("userinfo with openid after a PIN login: %v", err)
	}
}

// user_id reaches the relying party only for an accepted answer: not while
// pending or claimed, not for a denial, not for an expiry.
func TestUserIDOnlyWhenAccepted(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		ctx := context.Background()
		check := func(id, status, wantUser string) {
			t.Helper()
			tr, err := ts.Transaction(ctx, id)
			if err != nil || tr.Status != status || tr.UserID != wantUser {
				t.Fatalf("transaction %s: status %q user %q (%v), want %q %q", id, tr.Status, tr.UserID, err, status, wantUser)
			}
		}
		// Denied.
		id, otp := newRequest(t, ts, rp.CreateParams{})
		check(id, "pending", "")
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		check(id, "claimed", "")
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
			t.Fatal(err)
		}
		check(id, "denied", "")
		// Claimed, then expired.
		id, otp = newRequest(t, ts, rp.CreateParams{})
		if _, err := d.Claim(otp); err != nil {
			t.Fatal(err)
		}
		ts.Clock.Advance(6 * time.Minute)
		check(id, "expired", "")
		// Accepted.
		id, otp = newRequest(t, ts, rp.CreateParams{})
		if c, err = d.Claim(otp); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil {
			t.Fatal(err)
		}
		check(id, "accepted", ts.DemoUserID)
	})
}
