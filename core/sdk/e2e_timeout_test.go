package sdk_test

import (
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestE2EWaitsTimeOut: a flow nobody answers ends by itself (9006), closes
// its UI with the matching event, and frees its slot.
func TestE2EWaitsTimeOut(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	const short = 300 * time.Millisecond
	st := device.NewMemStorage()
	a := newPhoneOpts(t, sdk.Options{Storage: st, Keys: device.NewSoftKeyStore(st), FlowTimeout: short})
	start(a, ts)

	reg := a.call(api.MethodRegisterUser, map[string]any{"identityProviderId": nil})
	a.event(api.EventRegistration, "")
	if code := reg.code(); code != dispatch.CodeCancelled {
		t.Fatalf("unanswered registration: want 9006, got %d", code)
	}
	a.expectCode(dispatch.CodeNoFlowInProgress, api.MethodCancelBrowserRegistration, nil)

	a = a.restartWith(0) // register and enroll without hurry (the default bound), in a new core
	start(a, ts)
	register(a, ts.DemoUser, ts.DemoPassword)
	a.do(api.MethodEnrollMobileAuthentication, nil)

	a = a.restartWith(short)
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
