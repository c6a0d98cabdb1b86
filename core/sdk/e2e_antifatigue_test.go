package sdk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// createJSON creates a request with the DESIGN §13 extensions (JSON form).
func createJSON(t *testing.T, ts *servertest.TestServer, body map[string]any) rp.CreateResponse {
	t.Helper()
	body["type"], body["message"] = ts.OTPType, "Pay 25.00 EUR?"
	b, _ := json.Marshal(body)
	var r rp.CreateResponse
	if err := ts.RPDo(context.Background(), http.MethodPost, rp.PathCreate, "application/json", b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// shown starts handleMobileAuthWithOtp and returns the call and the request shown.
func shown(p *phone, otp string) (*pendingCall, gjson.Result) {
	p.t.Helper()
	h := p.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp})
	deadline := time.Now().Add(waitLimit)
	for {
		if ev, ok := p.tryEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication); ok {
			return h, ev.Get("mobileAuthenticationRequest")
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no startAuthentication within %s", waitLimit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The core shows details and match candidates, signs the pick, the not_me
// reason and the PIN-verified accept, against the real server.
func TestE2EAntiFatigue(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	p := newDevice(t)
	start(p, ts)
	pid := register(p, ts.DemoUser, ts.DemoPassword)
	p.do(api.MethodEnrollMobileAuthentication, nil)

	// Number matching with details: a missing or foreign pick is refused
	// (8009) and the request stays shown; the right pick is accepted.
	r := createJSON(t, ts, map[string]any{"number_matching": true, "details": []map[string]string{{"label": "Payee", "value": "Example Shop"}}})
	h, req := shown(p, r.OTP)
	if req.Get("details.0.label").Str != "Payee" || req.Get("details.0.value").Str != "Example Shop" || len(req.Get("matchCandidates").Array()) != 3 {
		t.Fatalf("request shown %s", req.Raw)
	}
	p.expectCode(dispatch.CodeBadParameters, api.MethodAcceptMobileAuthConfirmation, nil)
	p.expectCode(dispatch.CodeBadParameters, api.MethodAcceptMobileAuthConfirmation, map[string]any{"matchCode": "00"})
	p.do(api.MethodAcceptMobileAuthConfirmation, map[string]any{"matchCode": r.MatchCode})
	if c := h.code(); c != 0 {
		t.Fatalf("right pick: %d", c)
	}
	if tr := transaction(t, ts, r.TransactionID); !tr.IsAuthenticated {
		t.Fatalf("RP sees %+v", tr)
	}

	// A wrong pick: the handle call rejects 9006, the RP sees wrong_match.
	r = createJSON(t, ts, map[string]any{"number_matching": true})
	h, req = shown(p, r.OTP)
	wrong := ""
	for _, c := range req.Get("matchCandidates").Array() {
		if c.Str != r.MatchCode {
			wrong = c.Str
		}
	}
	p.do(api.MethodAcceptMobileAuthConfirmation, map[string]any{"matchCode": wrong})
	if c := h.code(); c != dispatch.CodeCancelled {
		t.Fatalf("wrong pick: %d", c)
	}
	if tr := transaction(t, ts, r.TransactionID); tr.NotAuthenticatedReason.Reason != protocol.ReasonWrongMatch {
		t.Fatalf("RP sees %+v", tr)
	}

	// "This wasn't me".
	r = createJSON(t, ts, map[string]any{"user_id": ts.DemoUserID})
	h, _ = shown(p, r.OTP)
	p.expectCode(dispatch.CodeBadParameters, api.MethodDenyMobileAuthConfirmation, map[string]any{"reason": "bored"})
	p.do(api.MethodDenyMobileAuthConfirmation, map[string]any{"reason": "not_me"})
	if c := h.code(); c != dispatch.CodeCancelled {
		t.Fatalf("not me: %d", c)
	}
	if tr := transaction(t, ts, r.TransactionID); tr.NotAuthenticatedReason.Reason != protocol.ReasonNotMe || !tr.ReportedByUser {
		t.Fatalf("RP sees %+v", tr)
	}
	if _, err := ts.Server.Admin().UnsuspendUser(context.Background(), ts.DemoUserID); err != nil {
		t.Fatal(err)
	}

	// User verification required: accepting asks for the PIN through the
	// PIN authentication events; a wrong PIN asks again.
	if err := ts.Server.Admin().SetOTPTypeAntiFatigue(context.Background(), ts.OTPType, false, protocol.UserVerificationRequired); err != nil {
		t.Fatal(err)
	}
	r = createJSON(t, ts, map[string]any{})
	h, req = shown(p, r.OTP)
	if req.Get("userVerification").Str != "required" {
		t.Fatalf("request shown %s", req.Raw)
	}
	p.do(api.MethodAcceptMobileAuthConfirmation, nil)
	if o := p.event(api.EventPinAuthentication, api.ActionOpen); o.Get("profileId").Str != pid {
		t.Fatalf("pin open %s", o.Raw)
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": "13579"})
	if ip := p.event(api.EventPinAuthentication, api.ActionIncorrectPin); ip.Get("remainingFailureCount").Int() != 2 {
		t.Fatalf("incorrectPin %s", ip.Raw)
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	if c := h.code(); c != 0 {
		t.Fatalf("PIN-verified accept: %d", c)
	}
	if tr := transaction(t, ts, r.TransactionID); !tr.IsAuthenticated || tr.AuthenticationMethod != "OTP_WITH_PIN" {
		t.Fatalf("RP sees %+v", tr)
	}
}
