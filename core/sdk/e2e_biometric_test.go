package sdk_test

import (
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// bioPhone is a phone with the scripted biometric key store.
func bioPhone(t *testing.T) (*phone, *device.SoftBiometric) {
	st := device.NewMemStorage()
	bio := device.NewSoftBiometric(st)
	return newPhoneOpts(t, sdk.Options{Storage: st, Keys: device.NewSoftKeyStore(st), Biometric: bio}), bio
}

// fingerprint runs authenticateUser with the biometric: startAuthentication,
// then answer (accept, deny or fallback) and returns the pending call.
func fingerprint(p *phone, pid, answer string) *pendingCall {
	p.t.Helper()
	c := p.call(api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": api.AuthenticatorIDAndroidFingerprint})
	if s := p.event(api.EventFingerprint, api.ActionStartAuthentication); s.Get("userProfile.profileId").Str != pid {
		p.t.Fatalf("start %s", s.Raw)
	}
	p.do(answer, nil)
	return c
}

func registeredAuthenticators(p *phone, pid string) []string {
	var ids []string
	for _, a := range p.do(api.MethodGetRegisteredAuthenticators, map[string]any{"profileId": pid}).Array() {
		ids = append(ids, a.Get("id").Str)
	}
	return ids
}

// Issue 15 through the dispatcher against the real server: register the
// biometric, authenticate with it, fail-then-succeed, deny, cancel, fallback
// to PIN, lockout, biometric set changed → key invalid → PIN works and
// re-registration, deregister.
func TestE2EBiometricAuthenticator(t *testing.T) {
	ts := servertest.Start(t, roomyLimits())
	p, bio := bioPhone(t)
	start(p, ts)
	pid := register(p, ts.DemoUser, ts.DemoPassword)

	all := p.do(api.MethodGetAllAuthenticators, map[string]any{"profileId": pid}).Array()
	if len(all) != 2 || all[0].Get("id").Str != "PIN" || !all[0].Get("isPreferred").Bool() || all[1].Get("id").Str != "fingerprint" || all[1].Get("isRegistered").Bool() {
		t.Fatalf("getAllAuthenticators %v", all)
	}
	p.expectCode(dispatch.CodeAuthenticatorNotRegistered, api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": "fingerprint"})

	// Registration asks for the PIN first (a wrong one counts).
	reg := p.call(api.MethodRegisterFingerprintAuthenticator, map[string]any{"profileId": pid})
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": "13579"})
	if n := p.event(api.EventPinAuthentication, api.ActionIncorrectPin).Get("remainingFailureCount").Int(); n != 2 {
		t.Fatalf("remaining %d", n)
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	reg.ok()
	if ids := registeredAuthenticators(p, pid); len(ids) != 2 || ids[1] != "fingerprint" {
		t.Fatalf("registered %v", ids)
	}

	// Accept: prompt, captured, finish.
	p.clearEvents()
	if got := fingerprint(p, pid, api.MethodSubmitFingerprintAcceptAuthenticationRequest).ok().Get("userProfile.id").Str; got != pid {
		t.Fatalf("authenticated %q", got)
	}
	p.event(api.EventFingerprint, api.ActionOnFingerprintCaptured)
	p.event(api.EventFingerprint, api.ActionFinishAuthentication)
	p.do(api.MethodGetAccessToken, nil)

	// One unrecognised biometric, then recognised.
	bio.Script(device.OutcomeFail, device.OutcomeSuccess)
	fingerprint(p, pid, api.MethodSubmitFingerprintAcceptAuthenticationRequest).ok()
	p.event(api.EventFingerprint, api.ActionOnNextAuthenticationAttempt)
	p.event(api.EventFingerprint, api.ActionOnFingerprintCaptured)

	// Deny and cancel: 9006, no prompt for the deny.
	before := len(bio.Prompts())
	if c := fingerprint(p, pid, api.MethodSubmitFingerprintDenyAuthenticationRequest).code(); c != dispatch.CodeCancelled {
		t.Fatalf("deny: %d", c)
	}
	if len(bio.Prompts()) != before {
		t.Fatal("a denied request showed the prompt")
	}
	bio.Script(device.OutcomeCancel)
	if c := fingerprint(p, pid, api.MethodSubmitFingerprintAcceptAuthenticationRequest).code(); c != dispatch.CodeCancelled {
		t.Fatalf("cancel: %d", c)
	}

	// Fallback to the PIN.
	fb := fingerprint(p, pid, api.MethodSubmitFingerprintFallbackToPin)
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	fb.ok()

	// Lockout: 9030; the PIN works.
	bio.Script(device.OutcomeLockout)
	if c := fingerprint(p, pid, api.MethodSubmitFingerprintAcceptAuthenticationRequest).code(); c != dispatch.CodeBiometricFailure {
		t.Fatalf("lockout: %d", c)
	}
	authenticate(p, pid, goodPin)

	// The enrolled biometrics change: the key is invalid, the authenticator
	// is removed (9022), the PIN works, the biometric must be registered again.
	bio.ChangeEnrollment()
	if c := fingerprint(p, pid, api.MethodSubmitFingerprintAcceptAuthenticationRequest).code(); c != dispatch.CodeAuthenticatorDeregistered {
		t.Fatalf("changed: %d", c)
	}
	if ids := registeredAuthenticators(p, pid); len(ids) != 1 {
		t.Fatalf("registered after the change %v", ids)
	}
	p.expectCode(dispatch.CodeAuthenticatorNotRegistered, api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": "fingerprint"})
	authenticate(p, pid, goodPin)
	reg = p.call(api.MethodRegisterAuthenticator, map[string]any{"authenticatorId": "fingerprint"})
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	reg.ok()
	fingerprint(p, pid, api.MethodSubmitFingerprintAcceptAuthenticationRequest).ok()

	// Preferred: authenticateUser(profileId, null) uses the biometric.
	p.do(api.MethodSetPreferredAuthenticator, map[string]any{"authenticatorId": "fingerprint"})
	c := p.call(api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": nil})
	p.event(api.EventFingerprint, api.ActionStartAuthentication)
	p.do(api.MethodSubmitFingerprintAcceptAuthenticationRequest, nil)
	c.ok()

	// Deregister: gone here and on the server (a forged local flag cannot log in).
	p.do(api.MethodDeregisterFingerprintAuthenticator, map[string]any{"profileId": pid})
	if ids := registeredAuthenticators(p, pid); len(ids) != 1 {
		t.Fatalf("registered after deregistration %v", ids)
	}
	if _, err := servertest.ProfileAuthenticator(ts, pid); err == nil {
		t.Fatal("the server kept the biometric key")
	}
	p.expectCode(dispatch.CodeAuthenticatorNotSupported, api.MethodRegisterAuthenticator, map[string]any{"authenticatorId": "face"})
}

// changePin and validatePinWithPolicy through the dispatcher.
func TestE2EChangePin(t *testing.T) {
	ts := servertest.Start(t, roomyLimits())
	p := newDevice(t)
	start(p, ts)
	pid := register(p, ts.DemoUser, ts.DemoPassword)

	for pin, want := range map[string]dispatch.Code{"11223": dispatch.CodePinBlacklisted, "11111": dispatch.CodePinSimilarDigits, "1357": dispatch.CodePinWrongLength,
		"12345": dispatch.CodePinIsASequence, "1a345": dispatch.CodePinNotAllowed} {
		p.expectCode(want, api.MethodValidatePinWithPolicy, map[string]any{"pin": pin})
	}
	p.do(api.MethodValidatePinWithPolicy, map[string]any{"pin": "97531"})

	// Wrong current PIN first (the counter applies), then right; a refused
	// new PIN (pinNotAllowed with its code), then a good one.
	c := p.call(api.MethodChangePin, nil)
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": "13579"})
	if n := p.event(api.EventPinAuthentication, api.ActionIncorrectPin).Get("remainingFailureCount").Int(); n != 2 {
		t.Fatalf("remaining %d", n)
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	p.event(api.EventPinCreate, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": "11223"})
	if na := p.event(api.EventPinCreate, api.ActionPinNotAllowed); na.Get("errorCode").Int() != int64(dispatch.CodePinBlacklisted) {
		t.Fatalf("pinNotAllowed %s", na.Raw)
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": "97531"})
	p.event(api.EventPinCreate, api.ActionClose)
	c.ok()
	if r := authenticate(p, pid, goodPin, "97531"); len(r) != 1 {
		t.Fatalf("old PIN: %v", r)
	}

	// Cancelled at the current PIN: 9006, the PIN is unchanged.
	c = p.call(api.MethodChangePin, nil)
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodCancelPinAuthentication, nil)
	if code := c.code(); code != dispatch.CodeCancelled {
		t.Fatalf("cancel: %d", code)
	}
	authenticate(p, pid, "97531")
}

// roomyLimits lets these journeys make more PIN and biometric attempts than
// the default per-profile limits (server tests cover the limits).
func roomyLimits() servertest.Options {
	return servertest.Options{Config: func(c *server.Config) {
		c.Limits.PinPerProfile = ratelimit.Limit{Rate: 100, Burst: 100}
		c.Limits.BiometricPerProfile = ratelimit.Limit{Rate: 100, Burst: 100}
	}}
}
