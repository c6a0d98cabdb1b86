package sdk_test

import (
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestE2ESecondDeviceEnrollmentPolicies enrolls the same user on a second
// device under each re-enrollment policy of the server.
func TestE2ESecondDeviceEnrollmentPolicies(t *testing.T) {
	for _, policy := range []string{"single", "override", "multiple"} {
		t.Run(policy, func(t *testing.T) {
			ts := servertest.Start(t, servertest.Options{})
			ts.SetPolicy(policy)
			a, b := newDevice(t), newDevice(t)
			start(a, ts)
			start(b, ts)
			pa := register(a, ts.DemoUser, ts.DemoPassword)
			a.do(api.MethodEnrollMobileAuthentication, nil)
			pb := register(b, ts.DemoUser, ts.DemoPassword)
			switch policy {
			case "single":
				b.expectCode(dispatch.CodeEnrolledOnAnotherDevice, api.MethodEnrollMobileAuthentication, nil)
				if b.do(api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": pb}).Bool() {
					t.Fatal("refused enrollment recorded as enrolled")
				}
				b.expectCode(dispatch.CodeNotEnrolled, api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": protocol.NewOTP()})
				_, otp := createOTP(t, ts, "Still the first device", "")
				if _, code := answerOTP(a, otp, protocol.DecisionAccept); code != 0 {
					t.Fatalf("first device after a refused second enrollment: %d", code)
				}
			case "override":
				// The password alone does not replace the enrolled device
				// (DESIGN §10): the second device is refused and the first
				// keeps working ...
				b.expectCode(dispatch.CodeEnrolledOnAnotherDevice, api.MethodEnrollMobileAuthentication, nil)
				_, otp := createOTP(t, ts, "Still the first device", "")
				if _, code := answerOTP(a, otp, protocol.DecisionAccept); code != 0 {
					t.Fatalf("first device after a refused takeover: %d", code)
				}
				// ... until the operator resets the user's devices; then
				// the new device enrolls and the old one learns it.
				if _, err := ts.Server.Admin().ResetUserDevices(t.Context(), ts.DemoUserID); err != nil {
					t.Fatal(err)
				}
				b.do(api.MethodEnrollMobileAuthentication, nil)
				_, otp = createOTP(t, ts, "Old device", "")
				code := a.errCode(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp})
				if code != dispatch.CodeUserDisenrolled && code != dispatch.CodeNotEnrolled {
					t.Fatalf("overridden device: want 9020 or 9021, got %d", code)
				}
				a.noEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication)
				if a.do(api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": pa}).Bool() {
					t.Fatal("overridden device still believes it is enrolled")
				}
				txID, otp := createOTP(t, ts, "New device", "")
				if _, code := answerOTP(b, otp, protocol.DecisionAccept); code != 0 {
					t.Fatalf("new device: %d", code)
				}
				if tr := transaction(t, ts, txID); !tr.IsAuthenticated || tr.UserID != ts.DemoUserID {
					t.Fatalf("transaction %+v", tr)
				}
			case "multiple":
				b.do(api.MethodEnrollMobileAuthentication, nil)
				for _, p := range []*phone{a, b} {
					txID, otp := createOTP(t, ts, "Either device", ts.DemoUserID)
					if _, code := answerOTP(p, otp, protocol.DecisionAccept); code != 0 {
						t.Fatalf("device answer under multiple: %d", code)
					}
					if tr := transaction(t, ts, txID); !tr.IsAuthenticated {
						t.Fatalf("transaction %+v", tr)
					}
				}
			}
		})
	}
}

// TestE2EPinLockoutRemovesProfile: wrong PINs count down on the server; the
// last one removes the registration, and the core removes the profile (9003).
func TestE2EPinLockoutRemovesProfile(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := newDevice(t)
	start(a, ts)
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	a.do(api.MethodLogout, nil)
	c := a.call(api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": nil})
	a.event(api.EventPinAuthentication, api.ActionOpen)
	a.expectCode(dispatch.CodeNoFlowInProgress, api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": goodPin})
	a.expectCode(dispatch.CodeBadParameters, api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": "12"})
	a.expectCode(dispatch.CodeActionInProgress, api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": nil})
	var seen []int64
	for i := 0; i < 10; i++ {
		// submitPin resolves after the flow handled the PIN: by then it has
		// emitted incorrectPin (and waits again) or close (and settles).
		a.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": otherPin})
		ev, ok := a.tryEvent(api.EventPinAuthentication, api.ActionIncorrectPin)
		if !ok {
			break
		}
		seen = append(seen, ev.Get("remainingFailureCount").Int())
	}
	a.event(api.EventPinAuthentication, api.ActionClose)
	// The last wrong PIN says so: wrong PIN, registration removed.
	if e := c.wait().Get("error"); dispatch.Code(e.Get("code").Int()) != dispatch.CodeUserDeregistered ||
		!strings.Contains(e.Get("message").String(), "PIN was wrong") || !strings.Contains(e.Get("message").String(), "registration was removed") ||
		!e.Get("data.remainingFailureCount").Exists() || e.Get("data.remainingFailureCount").Int() != 0 {
		t.Fatalf("lockout: %s", e.Raw)
	}
	if len(seen) != 2 || seen[0] != 2 || seen[1] != 1 {
		t.Fatalf("remaining failure counts %v, want [2 1]", seen)
	}
	if ps := a.do(api.MethodGetUserProfiles, nil).Array(); len(ps) != 0 {
		t.Fatalf("profile kept after lockout: %v", ps)
	}
}

// TestE2ECancelPaths: cancelling PIN authentication and a waiting OTP
// confirmation; a second OTP while one waits is 9007.
func TestE2ECancelPaths(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := newDevice(t)
	start(a, ts)
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	a.do(api.MethodEnrollMobileAuthentication, nil)
	c := a.call(api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": nil})
	a.event(api.EventPinAuthentication, api.ActionOpen)
	a.do(api.MethodCancelPinAuthentication, nil)
	a.event(api.EventPinAuthentication, api.ActionClose)
	if code := c.code(); code != dispatch.CodeCancelled {
		t.Fatalf("cancelled PIN authentication: %d", code)
	}
	_, otp := createOTP(t, ts, "First", "")
	_, otp2 := createOTP(t, ts, "Second", "")
	h := a.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp})
	a.event(api.EventMobileAuthOtp, api.ActionStartAuthentication)
	a.expectCode(dispatch.CodeActionInProgress, api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp2})
	a.do(api.MethodAcceptMobileAuthConfirmation, nil)
	a.expectCode(dispatch.CodeNoMobileAuthInProgress, api.MethodDenyMobileAuthConfirmation, nil)
	if code := h.code(); code != 0 {
		t.Fatalf("accept: %d", code)
	}
	// A flow waiting for the user is cancelled when the core closes.
	h = a.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp2})
	a.event(api.EventMobileAuthOtp, api.ActionStartAuthentication)
	a.core.Close()
	if code := h.code(); code != dispatch.CodeCancelled {
		t.Fatalf("close during confirmation: want 9006, got %d", code)
	}
}
