package server_test

import (
	"crypto/ecdsa"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// User verification to approve by the biometric authenticator (DESIGN §13,
// issues 14 and 15), on both stores: the accept of a request whose type
// requires user verification carries verification_method biometric and the
// registered biometric key's signature over the answer digest.

// withBiometric makes the accept a biometric-verified one signed by key.
func withBiometric(t *testing.T, key *ecdsa.PrivateKey) func(*protocol.AnswerRequest) {
	return func(a *protocol.AnswerRequest) {
		a.VerificationMethod = protocol.VerificationBiometric
		if err := protocol.SignUV(servertest.Signer(key), a); err != nil {
			t.Fatal(err)
		}
	}
}

// uvBiometricServer: the demo type requires user verification; biometric
// attempts may be limited by limit (zero: generous).
func uvBiometricServer(t *testing.T, o servertest.Options, limit ratelimit.Limit) *servertest.TestServer {
	if limit == (ratelimit.Limit{}) {
		limit = ratelimit.Limit{Rate: 100, Burst: 100}
	}
	o.Config = func(c *server.Config) { c.Limits.BiometricPerProfile = limit }
	return uvServer(t, o)
}

func TestUserVerificationBiometric(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := uvBiometricServer(t, o, ratelimit.Limit{})
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		key := servertest.NewBiometricKey()

		// No authenticator registered yet: a biometric accept is refused.
		id, otp := newRequest(t, ts, rp.CreateParams{})
		c := mustClaim(t, d, otp)
		_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withBiometric(t, key)))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if err := d.RegisterBiometric(key); err != nil {
			t.Fatal(err)
		}

		// Signed by the device (enrollment) key instead of the biometric key:
		// refused, nothing recorded.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withBiometric(t, d.EnrollKey)))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		// The method named, no signature: refused.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.VerificationMethod = protocol.VerificationBiometric }))
		wantErr(t, err, protocol.ErrInvalidRequest)
		// A biometric signature under another method (pin with the PIN): refused.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			withBiometric(t, key)(a)
			a.VerificationMethod, a.Pin = protocol.VerificationPIN, "13579"
		}))
		wantErr(t, err, protocol.ErrInvalidRequest)
		// The biometric signature is over the whole digest: the device key
		// signs an accept, the biometric key signed a deny of the same request.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			a.Decision = protocol.DecisionDeny
			withBiometric(t, key)(a)
			a.Decision = protocol.DecisionAccept
		}))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("after refused answers: %s", s)
		}

		// The registered biometric key: accepted, the factor named.
		accepted := d.SignedAnswer(c, protocol.DecisionAccept, withBiometric(t, key))
		if ar, err := d.Answer(accepted); err != nil || ar.Status != "accepted" {
			t.Fatalf("biometric accept: %+v %v", ar, err)
		}
		if tr := rpTx(t, ts, id); !tr.IsAuthenticated || tr.AuthenticationMethod != "OTP_WITH_BIOMETRIC" {
			t.Fatalf("the RP sees %+v", tr)
		}
		// Replayed: the same answer again (a fresh DPoP proof) is refused ...
		_, err = d.Answer(accepted)
		wantErr(t, err, protocol.ErrAlreadyHandled)
		// ... and its biometric signature does not carry over to another request.
		id2, otp2 := newRequest(t, ts, rp.CreateParams{})
		c2 := mustClaim(t, d, otp2)
		_, err = d.Answer(d.SignedAnswer(c2, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			a.VerificationMethod, a.UVSignature = protocol.VerificationBiometric, accepted.UVSignature
		}))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, id2); s != "claimed" {
			t.Fatalf("after a replayed biometric signature: %s", s)
		}

		// Another profile's biometric key (bob's, registered on his phone): refused.
		ts.SetPolicy("multiple")
		ts.CreateUser("bob", "bob-password-1")
		b := ts.Enrolled("bob", "bob-password-1", "24680")
		bKey := servertest.NewBiometricKey()
		if err := b.RegisterBiometric(bKey); err != nil {
			t.Fatal(err)
		}
		_, err = d.Answer(d.SignedAnswer(c2, protocol.DecisionAccept, withBiometric(t, bKey)))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if !strings.Contains(ts.Logs.String(), `"event":"biometric_failed"`) {
			t.Fatal("no biometric_failed audit record")
		}
		// Fallback to the PIN: accepted, the PIN named.
		if ar, err := d.Answer(d.SignedAnswer(c2, protocol.DecisionAccept, withPIN("13579"))); err != nil || ar.Status != "accepted" {
			t.Fatalf("PIN fallback: %+v %v", ar, err)
		}
		if tr := rpTx(t, ts, id2); tr.AuthenticationMethod != "OTP_WITH_PIN" {
			t.Fatalf("the RP sees %+v", tr)
		}

		// Deregistered: the biometric key no longer verifies anything.
		if err := d.DeregisterBiometric(); err != nil {
			t.Fatal(err)
		}
		_, otp3 := newRequest(t, ts, rp.CreateParams{})
		c3 := mustClaim(t, d, otp3)
		_, err = d.Answer(d.SignedAnswer(c3, protocol.DecisionAccept, withBiometric(t, key)))
		wantErr(t, err, protocol.ErrInvalidAnswer)

		// A type without user verification takes no biometric signature.
		if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, ts.OTPType, false, protocol.UserVerificationNone); err != nil {
			t.Fatal(err)
		}
		_, otp4 := newRequest(t, ts, rp.CreateParams{})
		c4 := mustClaim(t, d, otp4)
		_, err = d.Answer(d.SignedAnswer(c4, protocol.DecisionAccept, withBiometric(t, key)))
		wantErr(t, err, protocol.ErrInvalidAnswer)
	})
}

// Biometric answers share the biometric login's rate limit; once it is spent
// the PIN still approves (lockout → PIN).
func TestUserVerificationBiometricRateLimit(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := uvBiometricServer(t, o, ratelimit.Limit{Rate: 0.0001, Burst: 2})
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		key := servertest.NewBiometricKey()
		if err := d.RegisterBiometric(key); err != nil {
			t.Fatal(err)
		}
		id, otp := newRequest(t, ts, rp.CreateParams{})
		c := mustClaim(t, d, otp)
		bad := servertest.NewBiometricKey()
		for i := 1; i <= 2; i++ {
			_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withBiometric(t, bad)))
			wantErr(t, err, protocol.ErrInvalidAnswer)
		}
		// Spent: even the right key is refused now, and nothing is recorded.
		_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withBiometric(t, key)))
		wantErr(t, err, protocol.ErrRateLimited)
		if !strings.Contains(ts.Logs.String(), `"event":"biometric_rate_limited"`) {
			t.Fatal("no biometric_rate_limited audit record")
		}
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("after the limit: %s", s)
		}
		// The biometric login is limited by the same budget.
		if _, err := d.Challenge(d.ProfileID); err == nil {
			t.Fatal("a biometric challenge after the budget was spent by answers")
		}
		if ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPIN("13579"))); err != nil || ar.Status != "accepted" {
			t.Fatalf("PIN after the biometric lockout: %+v %v", ar, err)
		}
	})
}
