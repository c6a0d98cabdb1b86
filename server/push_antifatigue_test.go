package server_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

// DESIGN §12 + §13 (issues 13, 14): a push request carries its details, its
// number-matching candidates and its user verification in the pending list,
// the fetch by id and the claim, and is answered as an OTP request is (the
// signature covers the details hash and the pick; the PIN is verified).
func TestPushAntiFatigue(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := pushServer(t, o, func(c *server.Config) { c.PushBackoff = -1 })
		if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, pushType, true, protocol.UserVerificationRequired); err != nil {
			t.Fatal(err)
		}
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		details := []protocol.Detail{{Label: "Payee", Value: "Example Shop B.V."}, {Label: "Amount", Value: "25,00 €"}}
		create := func() (id, code string) {
			t.Helper()
			r := mustCreate(t, ts, map[string]any{"type": pushType, "user_id": ts.DemoUserID, "details": details})
			if r.AuthMethod != protocol.AuthMethodPush || len(r.MatchCode) != 2 {
				t.Fatalf("create %+v", r)
			}
			return r.TransactionID, r.MatchCode
		}

		id, code := create()
		pend, err := d.Pending()
		if err != nil || len(pend) != 1 {
			t.Fatalf("pending %+v %v", pend, err)
		}
		p := pend[0]
		if p.TransactionID != id || !reflect.DeepEqual(p.Details, details) || p.UserVerification != protocol.UserVerificationRequired ||
			len(p.MatchCandidates) != protocol.MatchCandidates || !slices.Contains(p.MatchCandidates, code) {
			t.Fatalf("pending request %+v (code %s)", p, code)
		}
		one, err := d.PushRequest(id)
		if err != nil || !reflect.DeepEqual(one, p) {
			t.Fatalf("fetch by id %+v %v, list %+v", one, err, p)
		}
		c, err := d.PushClaim(id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c.Details, details) || !reflect.DeepEqual(c.MatchCandidates, p.MatchCandidates) || c.UserVerification != protocol.UserVerificationRequired {
			t.Fatalf("claim %+v", c)
		}
		// Without the details hash (the old digest), with altered details,
		// without the PIN or without a pick: refused, the request stays.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			a.MatchPick, a.VerificationMethod, a.Pin = code, protocol.VerificationPIN, "13579"
		}))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		altered := []protocol.Detail{{Label: "Payee", Value: "Mallory Ltd"}, details[1]}
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			withPick(c, code)(a)
			a.DetailsHash = protocol.DetailsHash(altered)
			a.VerificationMethod, a.Pin = protocol.VerificationPIN, "13579"
		}))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, code)))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			withPick(c, "")(a)
			a.VerificationMethod, a.Pin = protocol.VerificationPIN, "13579"
		}))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("after refused answers: %s", s)
		}
		// Right pick over the details with the right PIN: accepted.
		ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			withPick(c, code)(a)
			a.VerificationMethod, a.Pin = protocol.VerificationPIN, "13579"
		}))
		if err != nil || ar.Status != "accepted" {
			t.Fatalf("answer %+v %v", ar, err)
		}
		if tr := rpTx(t, ts, id); !tr.IsAuthenticated || tr.AuthenticationMethod != "PUSH_WITH_PIN" {
			t.Fatalf("the RP sees %+v", tr)
		}

		// A wrong pick on a push request: denied with wrong_match (no PIN
		// asked for a pick that already fails).
		id, code = create()
		c, err = d.PushClaim(id)
		if err != nil {
			t.Fatal(err)
		}
		ar, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, otherCandidate(c, code))))
		if err != nil || ar.Status != "denied" {
			t.Fatalf("wrong pick %+v %v", ar, err)
		}
		if tr := rpTx(t, ts, id); tr.IsAuthenticated || tr.NotAuthenticatedReason.Reason != protocol.ReasonWrongMatch {
			t.Fatalf("wrong pick seen by the RP %+v", tr)
		}

		// The biometric authenticator approves a push request too.
		key := servertest.NewBiometricKey()
		if err := d.RegisterBiometric(key); err != nil {
			t.Fatal(err)
		}
		id, code = create()
		c, err = d.PushClaim(id)
		if err != nil {
			t.Fatal(err)
		}
		ar, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) {
			withPick(c, code)(a)
			withBiometric(t, key)(a)
		}))
		if err != nil || ar.Status != "accepted" {
			t.Fatalf("biometric push answer %+v %v", ar, err)
		}
		if tr := rpTx(t, ts, id); !tr.IsAuthenticated || tr.AuthenticationMethod != "PUSH_WITH_BIOMETRIC" {
			t.Fatalf("the RP sees %+v", tr)
		}

		// A push request without extras lists none and keeps the old digest.
		if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, pushType, false, protocol.UserVerificationNone); err != nil {
			t.Fatal(err)
		}
		id, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?")
		if err != nil {
			t.Fatal(err)
		}
		pend, err = d.Pending()
		if err != nil || len(pend) != 1 || pend[0].Details != nil || pend[0].MatchCandidates != nil || pend[0].UserVerification != "" {
			t.Fatalf("plain pending %+v %v", pend, err)
		}
		c, err = d.PushClaim(id)
		if err != nil {
			t.Fatal(err)
		}
		if ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil || ar.Status != "accepted" {
			t.Fatalf("plain push answer %+v %v", ar, err)
		}
	})
}
