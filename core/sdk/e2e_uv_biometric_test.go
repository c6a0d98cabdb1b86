package sdk_test

import (
	"context"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// User verification to approve by the biometric authenticator (DESIGN §13,
// issues 14 and 15), through the dispatcher against the real server: with
// the fingerprint authenticator registered and preferred, accepting a
// request whose type requires user verification runs the fingerprint
// events and the scripted biometric signs the answer (OTP_WITH_BIOMETRIC);
// an unrecognised attempt first (onNextAuthenticationAttempt); fallback to
// the PIN; deny; lockout → PIN; biometric set changed → the authenticator is
// forgotten and the PIN approves.
func TestE2EUserVerificationBiometric(t *testing.T) {
	ctx := context.Background()
	ts := servertest.Start(t, roomyLimits())
	if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, ts.OTPType, false, protocol.UserVerificationRequired); err != nil {
		t.Fatal(err)
	}
	p, bio := bioPhone(t)
	start(p, ts)
	pid := register(p, ts.DemoUser, ts.DemoPassword)
	p.do(api.MethodEnrollMobileAuthentication, nil)
	reg := p.call(api.MethodRegisterFingerprintAuthenticator, map[string]any{"profileId": pid})
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	reg.ok()
	p.do(api.MethodSetPreferredAuthenticator, map[string]any{"authenticatorId": api.AuthenticatorIDAndroidFingerprint})
	p.clearEvents()

	// accept starts a request and accepts it: the fingerprint stage opens.
	accept := func() (*pendingCall, string) {
		t.Helper()
		r := createJSON(t, ts, map[string]any{})
		h, req := shown(p, r.OTP)
		if req.Get("userVerification").Str != "required" {
			t.Fatalf("shown %s", req.Raw)
		}
		p.do(api.MethodAcceptMobileAuthConfirmation, nil)
		if s := p.event(api.EventFingerprint, api.ActionStartAuthentication); s.Get("userProfile.profileId").Str != pid {
			t.Fatalf("fingerprint start %s", s.Raw)
		}
		return h, r.TransactionID
	}
	method := func(id string) string {
		t.Helper()
		tr := transaction(t, ts, id)
		if !tr.IsAuthenticated {
			return tr.Status
		}
		return tr.AuthenticationMethod
	}
	pinApproves := func() {
		t.Helper()
		p.event(api.EventPinAuthentication, api.ActionOpen)
		p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
		p.event(api.EventPinAuthentication, api.ActionClose)
	}

	// One unrecognised biometric, then recognised: the biometric key signs.
	bio.Script(device.OutcomeFail)
	h, id := accept()
	p.do(api.MethodSubmitFingerprintAcceptAuthenticationRequest, nil)
	p.event(api.EventFingerprint, api.ActionOnNextAuthenticationAttempt)
	p.event(api.EventFingerprint, api.ActionOnFingerprintCaptured)
	p.event(api.EventFingerprint, api.ActionFinishAuthentication)
	if c := h.code(); c != 0 {
		t.Fatalf("biometric accept: %d", c)
	}
	if m := method(id); m != "OTP_WITH_BIOMETRIC" {
		t.Fatalf("RP sees %s", m)
	}
	if n := len(bio.Prompts()); n != 2 {
		t.Fatalf("%d prompts", n)
	}

	// Fallback to the PIN: the PIN events, the server verifies the PIN.
	h, id = accept()
	p.do(api.MethodSubmitFingerprintFallbackToPin, nil)
	p.event(api.EventFingerprint, api.ActionFinishAuthentication)
	pinApproves()
	if c := h.code(); c != 0 || method(id) != "OTP_WITH_PIN" {
		t.Fatalf("fallback: %d %s", c, method(id))
	}

	// Deny at the fingerprint stage: 9006, nothing answered.
	h, id = accept()
	p.do(api.MethodSubmitFingerprintDenyAuthenticationRequest, nil)
	if c := h.code(); c != dispatch.CodeCancelled || method(id) != "claimed" {
		t.Fatalf("deny: %d %s", c, method(id))
	}

	// Lockout: the PIN approves.
	bio.Script(device.OutcomeLockout)
	h, id = accept()
	p.do(api.MethodSubmitFingerprintAcceptAuthenticationRequest, nil)
	p.event(api.EventFingerprint, api.ActionFinishAuthentication)
	pinApproves()
	if c := h.code(); c != 0 || method(id) != "OTP_WITH_PIN" {
		t.Fatalf("lockout: %d %s", c, method(id))
	}

	// The enrolled biometrics changed: the key is invalid, the authenticator
	// is forgotten (to be registered again) and the PIN approves; the next
	// request asks for the PIN directly.
	bio.ChangeEnrollment()
	h, id = accept()
	p.do(api.MethodSubmitFingerprintAcceptAuthenticationRequest, nil)
	p.event(api.EventFingerprint, api.ActionFinishAuthentication)
	pinApproves()
	if c := h.code(); c != 0 || method(id) != "OTP_WITH_PIN" {
		t.Fatalf("biometrics changed: %d %s", c, method(id))
	}
	if ids := registeredAuthenticators(p, pid); len(ids) != 1 || ids[0] != api.AuthenticatorIDPin {
		t.Fatalf("registered after the change %v", ids)
	}
	r := createJSON(t, ts, map[string]any{})
	h, _ = shown(p, r.OTP)
	p.clearEvents()
	p.do(api.MethodAcceptMobileAuthConfirmation, nil)
	pinApproves()
	if c := h.code(); c != 0 {
		t.Fatalf("after the change: %d", c)
	}
	if _, ok := p.tryEvent(api.EventFingerprint, api.ActionStartAuthentication); ok {
		t.Fatal("the forgotten biometric was offered")
	}
}

// When the server refuses more biometric attempts (its per-profile limit),
// the core continues with the PIN events and the PIN approves.
func TestE2EUserVerificationBiometricServerLimit(t *testing.T) {
	ctx := context.Background()
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Limits.PinPerProfile = ratelimit.Limit{Rate: 100, Burst: 100}
		c.Limits.BiometricPerProfile = ratelimit.Limit{Rate: 0.0001, Burst: 1}
	}})
	if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, ts.OTPType, false, protocol.UserVerificationRequired); err != nil {
		t.Fatal(err)
	}
	p, _ := bioPhone(t)
	start(p, ts)
	pid := register(p, ts.DemoUser, ts.DemoPassword)
	p.do(api.MethodEnrollMobileAuthentication, nil)
	reg := p.call(api.MethodRegisterFingerprintAuthenticator, map[string]any{"profileId": pid})
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	reg.ok()
	p.do(api.MethodSetPreferredAuthenticator, map[string]any{"authenticatorId": api.AuthenticatorIDAndroidFingerprint})
	for i, want := range []string{"OTP_WITH_BIOMETRIC", "OTP_WITH_PIN"} {
		p.clearEvents()
		r := createJSON(t, ts, map[string]any{})
		h, _ := shown(p, r.OTP)
		p.do(api.MethodAcceptMobileAuthConfirmation, nil)
		p.event(api.EventFingerprint, api.ActionStartAuthentication)
		p.do(api.MethodSubmitFingerprintAcceptAuthenticationRequest, nil)
		p.event(api.EventFingerprint, api.ActionFinishAuthentication)
		if i == 1 { // the budget of one is spent: the PIN
			p.event(api.EventPinAuthentication, api.ActionOpen)
			p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
			p.event(api.EventPinAuthentication, api.ActionClose)
		}
		if c := h.code(); c != 0 {
			t.Fatalf("request %d: %d", i, c)
		}
		if tr := transaction(t, ts, r.TransactionID); tr.AuthenticationMethod != want {
			t.Fatalf("request %d: the RP sees %+v", i, tr)
		}
	}
}
