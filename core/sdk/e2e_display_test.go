package sdk_test

import (
	"context"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// The core refuses to show a message that could mislead the user, whatever
// the server sent (defence in depth, issue 11 item 5): the request is put
// into the store directly, as a server without the check (or an old row)
// would hand it out. No startAuthentication is emitted; the call fails with
// 10018 naming the class of character.
func TestE2EMisleadingMessageNotShown(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	p := newDevice(t)
	start(p, ts)
	register(p, ts.DemoUser, ts.DemoPassword)
	p.do(api.MethodEnrollMobileAuthentication, nil)
	for name, msg := range map[string]string{
		"newline":       "Pay 10 EUR\n(your usual device)",
		"bidi override": "Pay \u202e0001\u202c EUR",
		"zero-width":    "Pay\u200b 10 EUR",
		"NEL":           "Pay\u0085(your usual device)",
	} {
		otp := protocol.NewOTP()
		now := ts.Clock.Now()
		x := store.Transaction{ID: protocol.RandomToken(16), OTPHash: protocol.HashOTP(otp), APIClientID: ts.APIClientID, Type: ts.OTPType,
			Message: msg, Status: store.StatusPending, CreatedAt: now.UnixMilli(), ExpiresAt: now.Add(5 * time.Minute).UnixMilli()}
		if err := ts.Server.Store().InTx(context.Background(), func(tx store.Tx) error { return tx.CreateTransaction(context.Background(), x) }); err != nil {
			t.Fatal(err)
		}
		r := p.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp}).wait()
		if code := dispatch.Code(r.Get("error.code").Int()); code != dispatch.CodeNotHandleable {
			t.Fatalf("%s: %s, want error %d", name, r.Raw, dispatch.CodeNotHandleable)
		}
		p.noEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication)
	}
	// An ordinary message is still shown and answered.
	_, otp := createOTP(t, ts, "Pay 10 EUR to Café Zoë", "")
	if req, code := answerOTP(p, otp, protocol.DecisionAccept); code != 0 || req.Get("message").Str != "Pay 10 EUR to Café Zoë" {
		t.Fatalf("ordinary message: %d %s", code, req.Raw)
	}
}
