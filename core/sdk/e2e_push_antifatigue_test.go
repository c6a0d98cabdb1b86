package sdk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
)

// TestE2EPushAntiFatigue: through the dispatcher against the real server, a
// push request with details, number matching and user verification
// required: the pending list and the start event carry the details and the
// three candidates, the pick and the PIN answer it (the RP sees
// PUSH_WITH_PIN); a wrong pick on the next one is denied.
func TestE2EPushAntiFatigue(t *testing.T) {
	ctx := context.Background()
	ts := pushTestServer(t)
	if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, e2ePushType, true, protocol.UserVerificationRequired); err != nil {
		t.Fatal(err)
	}
	p := newDevice(t)
	start(p, ts)
	pid := register(p, ts.DemoUser, ts.DemoPassword)
	p.do(api.MethodEnrollMobileAuthentication, nil)
	create := func() rp.CreateResponse {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"type": e2ePushType, "user_id": ts.DemoUserID, "message": "Pay 25.00 EUR?",
			"details": []map[string]string{{"label": "Payee", "value": "Example Shop"}, {"label": "IBAN", "value": "NL91 ABNA 0417 1643 00"}}})
		var r rp.CreateResponse
		if err := ts.RPDo(ctx, http.MethodPost, rp.PathCreate, "application/json", b, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}

	r := create()
	list := p.do(api.MethodGetPendingMobileAuthWithPushRequests, nil)
	if n := len(list.Array()); n != 1 {
		t.Fatalf("pending %s", list.Raw)
	}
	pr := list.Get("0")
	if pr.Get("transactionId").Str != r.TransactionID || pr.Get("details.1.label").Str != "IBAN" || pr.Get("details.1.value").Str != "NL91 ABNA 0417 1643 00" ||
		len(pr.Get("matchCandidates").Array()) != protocol.MatchCandidates || pr.Get("userVerification").Str != "required" {
		t.Fatalf("pending request %s", pr.Raw)
	}
	h := p.call(api.MethodHandlePendingMobileAuthWithPushRequest, map[string]any{"request": json.RawMessage(pr.Raw)})
	req := p.event(api.EventMobileAuthOtp, api.ActionStartAuthentication).Get("mobileAuthenticationRequest")
	if req.Get("details").Raw != pr.Get("details").Raw || req.Get("matchCandidates").Raw != pr.Get("matchCandidates").Raw || req.Get("userVerification").Str != "required" {
		t.Fatalf("shown %s, listed %s", req.Raw, pr.Raw)
	}
	p.do(api.MethodAcceptMobileAuthConfirmation, map[string]any{"matchCode": r.MatchCode})
	if o := p.event(api.EventPinAuthentication, api.ActionOpen); o.Get("profileId").Str != pid {
		t.Fatalf("pin open %s", o.Raw)
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	if c := h.code(); c != 0 {
		t.Fatalf("accept: %d", c)
	}
	p.event(api.EventMobileAuthOtp, api.ActionFinishAuthentication)
	if tr := transaction(t, ts, r.TransactionID); !tr.IsAuthenticated || tr.AuthenticationMethod != "PUSH_WITH_PIN" {
		t.Fatalf("RP sees %+v", tr)
	}

	// A wrong pick: the phone cannot tell (it does not know the code), so
	// the PIN is asked as for any accept; the server denies (9006) and the
	// RP sees wrong_match.
	r = create()
	h = p.call(api.MethodHandlePendingMobileAuthWithPushRequest, map[string]any{"request": map[string]any{"transactionId": r.TransactionID, "profileId": pid}})
	req = p.event(api.EventMobileAuthOtp, api.ActionStartAuthentication).Get("mobileAuthenticationRequest")
	wrong := ""
	for _, c := range req.Get("matchCandidates").Array() {
		if c.Str != r.MatchCode {
			wrong = c.Str
		}
	}
	p.do(api.MethodAcceptMobileAuthConfirmation, map[string]any{"matchCode": wrong})
	p.event(api.EventPinAuthentication, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	p.event(api.EventPinAuthentication, api.ActionClose)
	if c := h.code(); c != 9006 {
		t.Fatalf("wrong pick: %d", c)
	}
	if tr := transaction(t, ts, r.TransactionID); tr.NotAuthenticatedReason.Reason != protocol.ReasonWrongMatch {
		t.Fatalf("RP sees %+v", tr)
	}
}
