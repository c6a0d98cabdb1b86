package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// Anti-fatigue and user verification (DESIGN §13, issue 14), on both stores.

// afCreate creates a request through the JSON form of the v4 API with the
// DESIGN §13 extensions and returns the raw answer.
func afCreate(t *testing.T, ts *servertest.TestServer, body map[string]any) (rp.CreateResponse, error) {
	t.Helper()
	if body["type"] == nil {
		body["type"] = ts.OTPType
	}
	if body["message"] == nil {
		body["message"] = "Log in to Example?"
	}
	b, _ := json.Marshal(body)
	var resp rp.CreateResponse
	err := ts.RPDo(ctx, http.MethodPost, rp.PathCreate, "application/json", b, &resp)
	return resp, err
}

func mustCreate(t *testing.T, ts *servertest.TestServer, body map[string]any) rp.CreateResponse {
	t.Helper()
	r, err := afCreate(t, ts, body)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return r
}

func mustClaim(t *testing.T, d *servertest.Device, otp string) protocol.ClaimResponse {
	t.Helper()
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return c
}

// withPick signs the pick (and the claim's details) into the answer.
func withPick(c protocol.ClaimResponse, pick string) func(*protocol.AnswerRequest) {
	return func(a *protocol.AnswerRequest) {
		a.MatchPick = pick
		a.DetailsHash = protocol.DetailsHash(c.Details)
	}
}

func otherCandidate(c protocol.ClaimResponse, code string) string {
	for _, x := range c.MatchCandidates {
		if x != code {
			return x
		}
	}
	return ""
}

func rpTx(t *testing.T, ts *servertest.TestServer, id string) rp.Transaction {
	t.Helper()
	tr, err := ts.Transaction(ctx, id)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	return tr
}

func TestNumberMatching(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")

		// Right pick: accepted. The claim holds three distinct candidates,
		// one of them the code the relying party got.
		r := mustCreate(t, ts, map[string]any{"number_matching": true})
		if len(r.MatchCode) != 2 {
			t.Fatalf("match_code %q", r.MatchCode)
		}
		c := mustClaim(t, d, r.OTP)
		seen := map[string]bool{}
		for _, x := range c.MatchCandidates {
			seen[x] = true
		}
		if len(c.MatchCandidates) != 3 || len(seen) != 3 || !seen[r.MatchCode] {
			t.Fatalf("candidates %v for code %s", c.MatchCandidates, r.MatchCode)
		}
		// An accept without a pick, or with a number not among the
		// candidates, is refused and the request stays open.
		_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, "00")))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		// A signature over one pick replayed with another is refused.
		a := d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, otherCandidate(c, r.MatchCode)))
		a.MatchPick = r.MatchCode
		_, err = d.Answer(a)
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, r.TransactionID); s != "claimed" {
			t.Fatalf("after refused answers: %s", s)
		}
		if ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, r.MatchCode))); err != nil || ar.Status != "accepted" {
			t.Fatalf("right pick: %+v %v", ar, err)
		}
		if tr := rpTx(t, ts, r.TransactionID); !tr.IsAuthenticated || tr.AuthenticationMethod != "OTP" {
			t.Fatalf("right pick seen by the RP: %+v", tr)
		}

		// Wrong picks: denied with wrong_match and counted; the third in a
		// row suspends the user's user-bound requests.
		for i := 1; i <= 3; i++ {
			r := mustCreate(t, ts, map[string]any{"number_matching": true, "user_id": ts.DemoUserID})
			c := mustClaim(t, d, r.OTP)
			ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, otherCandidate(c, r.MatchCode))))
			if err != nil || ar.Status != "denied" {
				t.Fatalf("wrong pick %d: %+v %v", i, ar, err)
			}
			tr := rpTx(t, ts, r.TransactionID)
			if tr.IsAuthenticated || tr.Status != "denied" || tr.NotAuthenticatedReason.Reason != protocol.ReasonWrongMatch {
				t.Fatalf("wrong pick %d seen by the RP: %+v", i, tr)
			}
			if !strings.Contains(ts.Logs.String(), `"event":"wrong_match"`) {
				t.Fatal("no audit record of the wrong pick")
			}
			_, err = afCreate(t, ts, map[string]any{"user_id": ts.DemoUserID})
			if i < 3 && err != nil {
				t.Fatalf("after %d wrong picks: %v", i, err)
			}
			if i == 3 {
				wantRPErr(t, err, http.StatusForbidden, 1000)
			}
		}
		if s, ok, err := ts.Server.Admin().SuspensionOf(ctx, ts.DemoUserID); err != nil || !ok || s.Reason != protocol.ReasonWrongMatch {
			t.Fatalf("suspension after 3 wrong picks: %+v %t %v", s, ok, err)
		}
	})
}

func TestNumberMatchingPerType(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, ts.OTPType, true, "none"); err != nil {
			t.Fatal(err)
		}
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id, otp := newRequest(t, ts, rp.CreateParams{}) // form, no extension parameter
		c := mustClaim(t, d, otp)
		if len(c.MatchCandidates) != 3 {
			t.Fatalf("a number-matching type's request has candidates %v", c.MatchCandidates)
		}
		_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("an accept without a pick changed the request: %s", s)
		}
	})
}

func TestDetailsSigned(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		details := []protocol.Detail{{Label: "Payee", Value: "Example Shop B.V."}, {Label: "Amount", Value: "25,00 €"}}
		r := mustCreate(t, ts, map[string]any{"details": details})
		c := mustClaim(t, d, r.OTP)
		if len(c.Details) != 2 || c.Details[0] != details[0] || c.Details[1] != details[1] {
			t.Fatalf("claim details %+v", c.Details)
		}
		// Details altered after signing: the hash no longer matches.
		altered := []protocol.Detail{{Label: "Payee", Value: "Mallory Ltd"}, details[1]}
		_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.DetailsHash = protocol.DetailsHash(altered) }))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		// Signed over the real details, the hash swapped afterwards.
		a := d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, ""))
		a.DetailsHash = protocol.DetailsHash(altered)
		_, err = d.Answer(a)
		wantErr(t, err, protocol.ErrInvalidAnswer)
		// The old digest (no details hash) does not answer a request with details.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPick(c, ""))); err != nil || ar.Status != "accepted" {
			t.Fatalf("answer over the details: %+v %v", ar, err)
		}
		// Requests without details keep answering with the old digest.
		id, otp := newRequest(t, ts, rp.CreateParams{})
		c = mustClaim(t, d, otp)
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil || status(t, ts, id) != "accepted" {
			t.Fatalf("old digest: %v", err)
		}
		// Bad details are refused at create (1003) with what is wrong.
		for name, ds := range map[string]any{
			"bidi":      []protocol.Detail{{Label: "Payee", Value: "Shop \u202eRUE 52"}},
			"line":      []protocol.Detail{{Label: "Payee\nAmount", Value: "x"}},
			"empty":     []protocol.Detail{{Label: "Payee", Value: ""}},
			"too long":  []protocol.Detail{{Label: "Payee", Value: strings.Repeat("x", protocol.MaxDetailValue+1)}},
			"too many":  make11(),
			"not array": "Payee: x",
		} {
			_, err := afCreate(t, ts, map[string]any{"details": ds})
			wantRPErr(t, err, http.StatusBadRequest, 1003)
			if name == "bidi" && !strings.Contains(err.Error(), "bidi") {
				t.Errorf("bidi detail error does not say why: %v", err)
			}
		}
	})
}

func make11() []protocol.Detail {
	var ds []protocol.Detail
	for range 11 {
		ds = append(ds, protocol.Detail{Label: "L", Value: "V"})
	}
	return ds
}

func TestNotMeSuspends(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := pushServer(t, o, func(c *server.Config) { c.NotMeSuspension = 30 * time.Minute })
		rcv := newPushReceiver(t)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		if _, err := d.RegisterPush(rcv.subscription("/sub/1")); err != nil {
			t.Fatal(err)
		}
		r := mustCreate(t, ts, map[string]any{"user_id": ts.DemoUserID})
		c := mustClaim(t, d, r.OTP)
		// A reason on an accept, or another reason, is refused.
		_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.Reason = protocol.ReasonNotMe }))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, func(a *protocol.AnswerRequest) { a.Reason = "bored" }))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		// The reason is signed: a plain deny's signature with a reason added fails.
		a := d.SignedAnswer(c, protocol.DecisionDeny, nil)
		a.Reason = protocol.ReasonNotMe
		_, err = d.Answer(a)
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, func(a *protocol.AnswerRequest) { a.Reason = protocol.ReasonNotMe })); err != nil || ar.Status != "denied" {
			t.Fatalf("not me: %+v %v", ar, err)
		}
		tr := rpTx(t, ts, r.TransactionID)
		if tr.Status != "denied" || tr.NotAuthenticatedReason.Reason != protocol.ReasonNotMe || !tr.ReportedByUser {
			t.Fatalf("the RP sees %+v", tr)
		}
		if !strings.Contains(ts.Logs.String(), `"event":"user_reported_not_me"`) || !strings.Contains(ts.Logs.String(), `"event":"user_suspended"`) {
			t.Fatal("no audit records of the report and the suspension")
		}
		// Suspended: user-bound OTP and push requests are refused with 1000
		// and a description, nothing stored, nothing sent.
		_, err = afCreate(t, ts, map[string]any{"user_id": ts.DemoUserID})
		wantRPErr(t, err, http.StatusForbidden, 1000)
		if !strings.Contains(err.Error(), "suspended") {
			t.Fatalf("the description does not say why: %v", err)
		}
		_, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?")
		wantRPErr(t, err, http.StatusForbidden, 1000)
		if p, err := d.Pending(); err != nil || len(p) != 0 {
			t.Fatalf("pending while suspended: %v %v", p, err)
		}
		select {
		case m := <-rcv.got:
			t.Fatalf("a push was sent for a suspended user: %v", m)
		case <-time.After(300 * time.Millisecond):
		}
		// A plain deny is unchanged: no suspension.
		if _, err := afCreate(t, ts, map[string]any{}); err != nil {
			t.Fatalf("an unbound request is not suspended: %v", err)
		}
		// The suspension ends by itself ...
		ts.Clock.Advance(31 * time.Minute)
		r = mustCreate(t, ts, map[string]any{"user_id": ts.DemoUserID})
		pc := mustClaim(t, d, r.OTP)
		// ... and the operator lifts it earlier.
		if _, err := d.Answer(d.SignedAnswer(pc, protocol.DecisionDeny, func(a *protocol.AnswerRequest) { a.Reason = protocol.ReasonNotMe })); err != nil {
			t.Fatal(err)
		}
		_, err = afCreate(t, ts, map[string]any{"user_id": ts.DemoUserID})
		wantRPErr(t, err, http.StatusForbidden, 1000)
		if was, err := ts.Server.Admin().UnsuspendUser(ctx, ts.DemoUserID); err != nil || !was {
			t.Fatalf("unsuspend: %t %v", was, err)
		}
		if _, err := afCreate(t, ts, map[string]any{"user_id": ts.DemoUserID}); err != nil {
			t.Fatalf("after unsuspend: %v", err)
		}
		if _, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?"); err != nil {
			t.Fatalf("push after unsuspend: %v", err)
		}
	})
}

// uvServer is a server whose demo type requires user verification.
func uvServer(t *testing.T, o servertest.Options) *servertest.TestServer {
	ts := servertest.Start(t, o)
	if err := ts.Server.Admin().SetOTPTypeAntiFatigue(ctx, ts.OTPType, false, protocol.UserVerificationRequired); err != nil {
		t.Fatal(err)
	}
	return ts
}

func withPIN(pin string) func(*protocol.AnswerRequest) {
	return func(a *protocol.AnswerRequest) { a.VerificationMethod, a.Pin = protocol.VerificationPIN, pin }
}

func TestUserVerificationPIN(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := uvServer(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id, otp := newRequest(t, ts, rp.CreateParams{})
		c := mustClaim(t, d, otp)
		if c.UserVerification != protocol.UserVerificationRequired {
			t.Fatalf("claim user_verification %q", c.UserVerification)
		}
		// Without the PIN: refused.
		_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		// The method signed, the PIN missing: refused.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPIN("")))
		wantErr(t, err, protocol.ErrInvalidRequest)
		// A wrong PIN: counted, no answer.
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPIN("00000")))
		if e := wantErr(t, err, protocol.ErrInvalidPin); e.RemainingAttempts == nil || *e.RemainingAttempts != 2 {
			t.Fatalf("remaining attempts %+v", e.ErrorResponse)
		}
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("after a wrong PIN: %s", s)
		}
		// The right PIN: accepted, the factor named, the counter reset.
		if ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPIN("13579"))); err != nil || ar.Status != "accepted" {
			t.Fatalf("right PIN: %+v %v", ar, err)
		}
		if tr := rpTx(t, ts, id); !tr.IsAuthenticated || tr.AuthenticationMethod != "OTP_WITH_PIN" {
			t.Fatalf("the RP sees %+v", tr)
		}
		// A deny needs no PIN.
		id, otp = newRequest(t, ts, rp.CreateParams{})
		c = mustClaim(t, d, otp)
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil || status(t, ts, id) != "denied" {
			t.Fatalf("deny: %v", err)
		}
		// The last wrong PIN removes the registration; no answer is recorded.
		id, otp = newRequest(t, ts, rp.CreateParams{})
		c = mustClaim(t, d, otp)
		for i := 1; i <= 2; i++ {
			_, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPIN("00000")))
			wantErr(t, err, protocol.ErrInvalidPin)
		}
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPIN("00000")))
		wantErr(t, err, protocol.ErrUserDeregistered)
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("after the last wrong PIN: %s", s)
		}
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, withPIN("13579")))
		if err == nil {
			t.Fatal("the right PIN answered after the registration was removed")
		}
		if err := d.Authenticate("13579"); err == nil {
			t.Fatal("the removed registration still logs in")
		}
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("after the removal: %s", s)
		}
	})
}
