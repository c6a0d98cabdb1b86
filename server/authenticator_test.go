package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// Biometric authenticators (issue 15): registration needs a PIN login; a
// login signs a fresh single-use challenge bound to the profile and client.
func TestBiometricAuthenticator(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Config = func(c *server.Config) { c.Limits.BiometricPerProfile = ratelimit.Limit{Rate: 100, Burst: 100} } // TestBiometricRateLimit tests it
		ts := servertest.Start(t, o)
		d := ts.NewDevice()
		if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
			t.Fatal(err)
		}
		key := servertest.NewBiometricKey()
		// No authenticator yet: no challenge.
		_, err := d.Challenge(d.ProfileID)
		wantErr(t, err, protocol.ErrNotFound)
		if err := d.RegisterBiometric(key); err != nil {
			t.Fatal(err)
		}

		// The right key on a fresh challenge logs in; the token is usable.
		ch, err := d.Challenge(d.ProfileID)
		if err != nil {
			t.Fatal(err)
		}
		sig := d.SignChallenge(key, ch, d.ProfileID)
		if err := d.BiometricLogin(d.ProfileID, ch, sig); err != nil {
			t.Fatal(err)
		}
		if err := d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil); err != nil {
			t.Fatalf("userinfo with a biometric login's token: %v", err)
		}
		// Replayed: the same challenge and signature again.
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, sig), protocol.ErrInvalidGrant)

		// Signed by another key.
		ch, _ = d.Challenge(d.ProfileID)
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(servertest.NewBiometricKey(), ch, d.ProfileID)), protocol.ErrInvalidGrant)
		// ... and that challenge is spent even though the attempt failed.
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(key, ch, d.ProfileID)), protocol.ErrInvalidGrant)

		// A made-up challenge.
		fake := protocol.RandomToken(32)
		wantErr(t, d.BiometricLogin(d.ProfileID, fake, d.SignChallenge(key, fake, d.ProfileID)), protocol.ErrInvalidGrant)

		// Expired.
		ch, _ = d.Challenge(d.ProfileID)
		ts.Clock.Advance(protocol.ChallengeTTLSeconds * time.Second)
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(key, ch, d.ProfileID)), protocol.ErrInvalidGrant)

		// For another profile: user B's challenge answered with A's profile
		// id and A's key, and A's challenge used for B's profile.
		ts.SetPolicy("multiple")
		bUser := ts.CreateUser("bob", "bob-password-1")
		_ = bUser
		b := ts.NewDevice()
		if err := b.RegisterUser("bob", "bob-password-1", "24680"); err != nil {
			t.Fatal(err)
		}
		bKey := servertest.NewBiometricKey()
		if err := b.RegisterBiometric(bKey); err != nil {
			t.Fatal(err)
		}
		chB, _ := b.Challenge(b.ProfileID)
		wantErr(t, d.BiometricLogin(d.ProfileID, chB, d.SignChallenge(key, chB, d.ProfileID)), protocol.ErrInvalidGrant)
		chA, _ := d.Challenge(d.ProfileID)
		wantErr(t, b.BiometricLogin(b.ProfileID, chA, b.SignChallenge(bKey, chA, b.ProfileID)), protocol.ErrInvalidGrant)
		// A client cannot ask for a challenge of a profile on another client.
		_, err = d.Challenge(b.ProfileID)
		wantErr(t, err, protocol.ErrUserDeregistered)
		// A signature for the right challenge but naming another profile id.
		chA, _ = d.Challenge(d.ProfileID)
		wantErr(t, d.BiometricLogin(d.ProfileID, chA, d.SignChallenge(key, chA, b.ProfileID)), protocol.ErrInvalidGrant)

		// Two profiles on one client: a challenge of one profile does not
		// log into the other, and one profile's token does not register a
		// key for the other.
		ts.CreateUser("carol", "carol-password-1")
		c2 := *d
		if err := c2.RegisterUser("carol", "carol-password-1", "97531"); err != nil {
			t.Fatal(err)
		}
		c2Key := servertest.NewBiometricKey()
		if err := c2.RegisterBiometric(c2Key); err != nil {
			t.Fatal(err)
		}
		chC, _ := c2.Challenge(c2.ProfileID)
		wantErr(t, d.BiometricLogin(d.ProfileID, chC, d.SignChallenge(key, chC, d.ProfileID)), protocol.ErrInvalidGrant)
		cross := c2
		cross.ProfileID = d.ProfileID // c2's token (a PIN login) naming d's profile
		wantErr(t, cross.RegisterBiometric(servertest.NewBiometricKey()), protocol.ErrInvalidToken)
		wantErr(t, cross.ChangePin("13579", "86420"), protocol.ErrInvalidToken)

		// A biometric login's token cannot register an authenticator or
		// change the PIN... registration needs a PIN login.
		ch, _ = d.Challenge(d.ProfileID)
		if err := d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(key, ch, d.ProfileID)); err != nil {
			t.Fatal(err)
		}
		ae := wantErr(t, d.RegisterBiometric(servertest.NewBiometricKey()), protocol.ErrInvalidToken)
		if !strings.Contains(ae.ErrorDescription, "PIN login") {
			t.Fatalf("description %q", ae.ErrorDescription)
		}
		// ... and a refresh of it stays a biometric login.
		var tr protocol.TokenResponse
		if err := d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantRefreshToken, RefreshToken: d.Refresh}, &tr); err != nil {
			t.Fatal(err)
		}
		d.Access, d.Refresh = tr.AccessToken, tr.RefreshToken
		wantErr(t, d.RegisterBiometric(servertest.NewBiometricKey()), protocol.ErrInvalidToken)
		// Another profile's token cannot register for this one.
		other := *d
		other.Access = b.Access
		wantErr(t, other.RegisterBiometric(servertest.NewBiometricKey()), protocol.ErrInvalidToken)

		// Deregistration removes the key: no challenge, an outstanding
		// challenge no longer logs in.
		if err := d.Authenticate("13579"); err != nil {
			t.Fatal(err)
		}
		ch, _ = d.Challenge(d.ProfileID)
		if err := d.DeregisterBiometric(); err != nil {
			t.Fatal(err)
		}
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(key, ch, d.ProfileID)), protocol.ErrInvalidGrant)
		_, err = d.Challenge(d.ProfileID)
		wantErr(t, err, protocol.ErrNotFound)
		wantErr(t, d.DeregisterBiometric(), protocol.ErrNotFound)
		// Re-registering (a new key after the biometric set changed) works,
		// and the old key no longer does.
		newKey := servertest.NewBiometricKey()
		if err := d.RegisterBiometric(newKey); err != nil {
			t.Fatal(err)
		}
		ch, _ = d.Challenge(d.ProfileID)
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(key, ch, d.ProfileID)), protocol.ErrInvalidGrant)
		ch, _ = d.Challenge(d.ProfileID)
		if err := d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(newKey, ch, d.ProfileID)); err != nil {
			t.Fatal(err)
		}

		// Failures are audited, without the signature or challenge.
		logs := ts.Logs.String()
		if !strings.Contains(logs, `"event":"biometric_failed"`) {
			t.Fatal("no biometric_failed audit record")
		}
		if strings.Contains(logs, sig) {
			t.Fatal("signature in the logs")
		}
	})
}

// Biometric attempts are rate-limited per profile.
func TestBiometricRateLimit(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Config = func(c *server.Config) {
			c.Limits.BiometricPerProfile = ratelimit.Limit{Rate: 0.0001, Burst: 4}
		}
		ts := servertest.Start(t, o)
		d := ts.NewDevice()
		if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
			t.Fatal(err)
		}
		key := servertest.NewBiometricKey()
		if err := d.RegisterBiometric(key); err != nil {
			t.Fatal(err)
		}
		ch, err := d.Challenge(d.ProfileID) // 1
		if err != nil {
			t.Fatal(err)
		}
		bad := servertest.NewBiometricKey()
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(bad, ch, d.ProfileID)), protocol.ErrInvalidGrant) // 2
		ch, err = d.Challenge(d.ProfileID)                                                                             // 3
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(bad, ch, d.ProfileID)), protocol.ErrInvalidGrant) // 4
		_, err = d.Challenge(d.ProfileID)
		wantErr(t, err, protocol.ErrRateLimited)
		wantErr(t, d.BiometricLogin(d.ProfileID, ch, d.SignChallenge(key, ch, d.ProfileID)), protocol.ErrRateLimited)
		if !strings.Contains(ts.Logs.String(), `"event":"biometric_rate_limited"`) {
			t.Fatal("no biometric_rate_limited audit record")
		}
		// The PIN still works.
		if err := d.Authenticate("13579"); err != nil {
			t.Fatal(err)
		}
	})
}

// Change PIN (issue 15): the current PIN is verified with the counter, the
// new one must meet the policy, the server re-keys its verifier.
func TestChangePin(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Config = func(c *server.Config) { c.Limits.PinPerProfile = ratelimit.Limit{Rate: 100, Burst: 100} }
		ts := servertest.Start(t, o)
		d := ts.NewDevice()
		if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, d.ChangePin("13579", "12345"), protocol.ErrPinNotAllowed)
		ae := wantErr(t, d.ChangePin("00000", "24680"), protocol.ErrInvalidPin)
		if ae.RemainingAttempts == nil || *ae.RemainingAttempts != 2 {
			t.Fatalf("remaining = %v, want 2", ae.RemainingAttempts)
		}
		if err := d.ChangePin("13579", "24680"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, d.Authenticate("13579"), protocol.ErrInvalidPin)
		if err := d.Authenticate("24680"); err != nil {
			t.Fatal(err)
		}
		// The counter applies: three wrong current PINs remove the registration.
		wantErr(t, d.ChangePin("00000", "97531"), protocol.ErrInvalidPin)
		wantErr(t, d.ChangePin("00000", "97531"), protocol.ErrInvalidPin)
		wantErr(t, d.ChangePin("00000", "97531"), protocol.ErrUserDeregistered)
		wantErr(t, d.Authenticate("24680"), protocol.ErrUserDeregistered)
		if strings.Contains(ts.Logs.String(), "24680") || strings.Contains(ts.Logs.String(), "97531") {
			t.Fatal("PIN in the logs")
		}
	})
}
