package demo_test

import (
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/demo"
	"github.com/openmobileauth/oma/server/servertest"
)

// With NumberMatching the page gets the number to show, the phone is shown
// it among three candidates, and a "this wasn't me" deny reaches the page
// with its reason (DESIGN §13).
func TestNumberMatchingAndNotMeReachThePage(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d, err := demo.New(demo.Config{APIBaseURL: ts.URL, ClientID: ts.APIClientID, ClientSecret: ts.APIClientSecret, OTPType: ts.OTPType, NumberMatching: true})
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(d)
	t.Cleanup(web.Close)
	r := &rig{ts: ts, web: web, http: browser()}
	dev := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "24680")

	_, m := r.post(t, r.http, "/api/login")
	code, _ := m["matchCode"].(string)
	if len(code) != 2 {
		t.Fatalf("page view without a match code: %v", m)
	}
	claim, err := dev.Claim(m["otp"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(claim.MatchCandidates, code) {
		t.Fatalf("the phone's candidates %v lack the page's %s", claim.MatchCandidates, code)
	}
	id := m["transactionId"].(string)
	ch := stream(t, r.http, r.web.URL+"/api/transactions/"+id+"/events")
	if _, err := dev.Answer(dev.SignedAnswer(claim, protocol.DecisionDeny, func(a *protocol.AnswerRequest) { a.Reason = protocol.ReasonNotMe })); err != nil {
		t.Fatal(err)
	}
	for {
		ev := next(t, ch, 10*time.Second)
		if ev["final"] == true {
			if ev["status"] != "denied" || ev["reason"] != "not_me" {
				t.Fatalf("final event %v", ev)
			}
			break
		}
	}
}
