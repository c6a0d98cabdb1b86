package sdk_test

import (
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestE2EWaitsTimeOut: a flow nobody answers ends by itself (9006), closes
// its UI with the matching event, and frees its slot.
func TestE2EWaitsTimeOut(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	old := flow.DefaultTimeout
	flow.DefaultTimeout = 300 * time.Millisecond
	t.Cleanup(func() { flow.DefaultTimeout = old })
	a := newDevice(t)
	start(a, ts)

	reg := a.call(api.MethodRegisterUser, map[string]any{"identityProviderId": nil})
	a.event(api.EventRegistration, "")
	if code := reg.code(); code != dispatch.CodeCancelled {
		t.Fatalf("unanswered registration: want 9006, got %d", code)
	}
	a.expectCode(dispatch.CodeNoFlowInProgress, api.MethodCancelBrowserRegistration, nil)

	flow.DefaultTimeout = old // register and enroll without hurry, in a new core
	a = a.restart()
	start(a, ts)
	register(a, ts.DemoUser, ts.DemoPassword)
	a.do(api.MethodEnrollMobileAuthentication, nil)

	flow.DefaultTimeout = 300 * time.Millisecond
	a = a.restart()
	start(a, ts)
	txID, otp := createOTP(t, ts, "Nobody answers", "")
	h := a.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp})
	a.event(api.EventMobileAuthOtp, api.ActionStartAuthentication)
	if code := h.code(); code != dispatch.CodeCancelled {
		t.Fatalf("unanswered confirmation: want 9006, got %d", code)
	}
	a.event(api.EventMobileAuthOtp, api.ActionFinishAuthentication)
	a.expectCode(dispatch.CodeNoMobileAuthInProgress, api.MethodAcceptMobileAuthConfirmation, nil)
	if tr := transaction(t, ts, txID); tr.IsAuthenticated {
		t.Fatalf("unanswered transaction authenticated: %+v", tr)
	}
}
