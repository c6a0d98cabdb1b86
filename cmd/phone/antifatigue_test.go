package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server/rp"
)

// The terminal phone prints details as a table, asks for (or takes --match)
// the number the page shows, and reports "this wasn't me" (DESIGN §13).
func TestPhoneNumberMatchingDetailsAndNotMe(t *testing.T) {
	w := newWorld(t)
	code, out := w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", w.ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	code, out = w.phone(t, "", "enroll", "--pin", "24680")
	mustOK(t, code, out, "enroll")
	create := func(body map[string]any) rp.CreateResponse {
		body["type"], body["message"] = w.ts.OTPType, "Pay?"
		b, _ := json.Marshal(body)
		var r rp.CreateResponse
		if err := w.ts.RPDo(context.Background(), http.MethodPost, rp.PathCreate, "application/json", b, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	tx := func(id string) rp.Transaction {
		tr, err := w.ts.Transaction(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}

	// --accept without --match on a number-matching request: a usage error
	// and the request is denied, never accepted on a guess.
	r := create(map[string]any{"number_matching": true})
	if code, out = w.phone(t, "", "scan", r.OTP, "--accept"); code != 2 || !strings.Contains(out, "--match") {
		t.Fatalf("--accept without --match: exit %d\n%s", code, out)
	}
	if tx(r.TransactionID).IsAuthenticated {
		t.Fatal("accepted without a pick")
	}

	// Scripted: --accept --match NN, details printed as a table.
	r = create(map[string]any{"number_matching": true, "details": []map[string]string{{"label": "Payee", "value": "Example Shop"}, {"label": "Amount", "value": "EUR 25.00"}}})
	code, out = w.phone(t, "", "scan", r.OTP, "--accept", "--match", r.MatchCode)
	mustOK(t, code, out, "scan --match")
	if !strings.Contains(out, "    Payee   Example Shop\n    Amount  EUR 25.00\n") || !strings.Contains(out, "Number matching") || !strings.Contains(out, "Accepted.") {
		t.Fatalf("scan output:\n%s", out)
	}
	if !tx(r.TransactionID).IsAuthenticated {
		t.Fatal("the right pick was not accepted")
	}

	// Interactive: y, then a number that is not a candidate, then the code.
	r = create(map[string]any{"number_matching": true})
	code, out = w.phone(t, "y\n00\n"+r.MatchCode+"\n", "scan", r.OTP)
	mustOK(t, code, out, "interactive pick")
	if !strings.Contains(out, "Pick one of") || !tx(r.TransactionID).IsAuthenticated {
		t.Fatalf("interactive pick:\n%s", out)
	}

	// "This wasn't me" (m on standard input): the page's site learns it.
	r = create(map[string]any{})
	code, out = w.phone(t, "m\n", "scan", r.OTP)
	mustOK(t, code, out, "not me")
	if tr := tx(r.TransactionID); tr.NotAuthenticatedReason.Reason != "not_me" || !tr.ReportedByUser || !strings.Contains(out, "Denied.") {
		t.Fatalf("not me: %+v\n%s", tr, out)
	}
}
