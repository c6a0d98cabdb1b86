package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

// Limited tokens and the example resources (issue 17), on both stores: a
// device (client-credentials) token and an implicit token carry only the
// configured limited scopes, are bound to the client key that obtained them,
// reach only the resources that accept their kind, and cannot be refreshed.
func TestResourcesTokenKindsAndBinding(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.NewDevice()
		if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
			t.Fatal(err)
		}
		other := ts.NewDevice()

		// Device token: default scope read, the devices resource answers the app's details.
		dev, err := d.LimitedToken("", "")
		if err != nil {
			t.Fatal(err)
		}
		var app map[string]string
		if err := d.GetWith(protocol.PathResourceDevices, dev, &app); err != nil || app["application_identifier"] != d.AppID {
			t.Fatalf("devices with a device token: %v %v", app, err)
		}
		// Scopes beyond the device scopes are refused at the grant.
		_, err = d.LimitedToken("", "read openid")
		wantErr(t, err, protocol.ErrInvalidScope)
		_, err = d.LimitedToken(d.ProfileID, "openid")
		wantErr(t, err, protocol.ErrInvalidScope)

		// Implicit token: the user-id resource answers, the user resource refuses it.
		imp, err := d.LimitedToken(d.ProfileID, "read")
		if err != nil {
			t.Fatal(err)
		}
		var uid map[string]string
		if err := d.GetWith(protocol.PathResourceUserID, imp, &uid); err != nil || uid["decorated_user_id"] != d.UserID {
			t.Fatalf("user-id with an implicit token: %v %v", uid, err)
		}
		wantErr(t, d.GetWith(protocol.PathResourceProfile, imp, nil), protocol.ErrInsufficientScope)
		wantErr(t, d.GetWith(protocol.PathResourceProfile, dev, nil), protocol.ErrInsufficientScope)
		wantErr(t, d.GetWith(protocol.PathResourceDevices, imp, nil), protocol.ErrInsufficientScope)
		wantErr(t, d.GetWith(protocol.PathResourceUserID, dev, nil), protocol.ErrInsufficientScope)
		// Nor do limited tokens reach the user endpoints of the device API.
		wantErr(t, d.GetWith(protocol.PathUserInfo, imp, nil), protocol.ErrInvalidToken)
		// The PIN-login token reaches the user resource.
		var prof map[string]string
		if err := d.GetWith(protocol.PathResourceProfile, d.Access, &prof); err != nil || prof["user_id"] != d.UserID {
			t.Fatalf("profile with the user token: %v %v", prof, err)
		}

		// DPoP binding: another client's key cannot use these tokens.
		for name, tok := range map[string]string{"device": dev, "implicit": imp, "user": d.Access} {
			for _, path := range []string{protocol.PathResourceDevices, protocol.PathResourceUserID, protocol.PathResourceProfile} {
				if err := other.GetWith(path, tok, nil); err == nil {
					t.Fatalf("%s token used by another client at %s", name, path)
				}
			}
		}
		// A proof without the token's hash, or replayed, is refused.
		p := d.Proof(http.MethodGet, protocol.PathResourceDevices, "", nil)
		if st, _, _ := d.Raw(http.MethodGet, protocol.PathResourceDevices, p, dev, nil); st != http.StatusUnauthorized {
			t.Fatalf("proof without ath: HTTP %d", st)
		}
		p = d.Proof(http.MethodGet, protocol.PathResourceDevices, dev, nil)
		if st, _, _ := d.Raw(http.MethodGet, protocol.PathResourceDevices, p, dev, nil); st != http.StatusOK {
			t.Fatalf("fresh proof: HTTP %d", st)
		}
		if st, _, _ := d.Raw(http.MethodGet, protocol.PathResourceDevices, p, dev, nil); st != http.StatusUnauthorized {
			t.Fatalf("replayed proof: HTTP %d", st)
		}

		// Implicit authentication only for a profile of this client.
		_, err = other.LimitedToken(d.ProfileID, "")
		wantErr(t, err, protocol.ErrUserDeregistered)

		// Limited tokens expire with the access-token lifetime and cannot be refreshed.
		ts.Clock.Advance(2 * time.Hour)
		wantErr(t, d.GetWith(protocol.PathResourceDevices, dev, nil), protocol.ErrInvalidToken)
		wantErr(t, d.GetWith(protocol.PathResourceUserID, imp, nil), protocol.ErrInvalidToken)
	})
}

// A server configured with other implicit scopes issues exactly those.
func TestImplicitScopesConfigured(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) { c.ImplicitScopes = []string{"read", "balance"} }})
	d := ts.NewDevice()
	if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LimitedToken(d.ProfileID, "balance"); err != nil {
		t.Fatal(err)
	}
	_, err := d.LimitedToken("", "balance") // not a device scope
	wantErr(t, err, protocol.ErrInvalidScope)
}

// Even when an operator lets implicit tokens carry openid, an implicit token
// is not a user token: the user resource and the device API's user endpoints
// refuse it by its kind.
func TestImplicitTokenNeverAUserToken(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Config = func(c *server.Config) {
			c.ImplicitScopes = []string{"read", "openid"}
			c.DeviceScopes = []string{"read", "openid"}
		}
		ts := servertest.Start(t, o)
		d := ts.NewDevice()
		if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
			t.Fatal(err)
		}
		imp, err := d.LimitedToken(d.ProfileID, "read openid")
		if err != nil {
			t.Fatal(err)
		}
		dev, err := d.LimitedToken("", "read openid")
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{imp, dev} {
			wantErr(t, d.GetWith(protocol.PathResourceProfile, tok, nil), protocol.ErrInsufficientScope)
			wantErr(t, d.GetWith(protocol.PathUserInfo, tok, nil), protocol.ErrInvalidToken)
		}
	})
}
