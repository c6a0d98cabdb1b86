package main

import (
	"context"
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

// The terminal phone lists push requests with their details table, number
// candidates and user verification, registers the scripted fingerprint
// authenticator, and approves a request that requires user verification
// with it (--biometric scripts the sensor) or with the PIN (--biometric pin).
func TestPhoneBiometricApprovesPushWithDetails(t *testing.T) {
	ctx := context.Background()
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) { c.PushBackoff = -1 }})
	a := ts.Server.Admin()
	if err := a.PutOTPType(ctx, "pay", 2*time.Minute, "{message}"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetOTPTypePush(ctx, "pay", true); err != nil {
		t.Fatal(err)
	}
	if err := a.SetOTPTypeAntiFatigue(ctx, "pay", true, protocol.UserVerificationRequired); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	ph := func(args ...string) (int, string) {
		return phoneRun(t, "", append(args, "--data", data, "--server", ts.URL)...)
	}
	code, out := ph("register", "--user", ts.DemoUser, "--password", ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	code, out = ph("enroll", "--pin", "24680")
	mustOK(t, code, out, "enroll")
	code, out = ph("biometric", "--pin", "24680")
	mustOK(t, code, out, "biometric")
	if !strings.Contains(out, "Fingerprint authenticator registered and preferred") {
		t.Fatalf("biometric output:\n%s", out)
	}
	create := func() rp.CreateResponse {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"type": "pay", "message": "Pay 25.00 EUR?", "user_id": ts.DemoUserID,
			"details": []map[string]string{{"label": "Payee", "value": "Example Shop"}, {"label": "Amount", "value": "EUR 25.00"}}})
		var r rp.CreateResponse
		if err := ts.RPDo(ctx, http.MethodPost, rp.PathCreate, "application/json", b, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	method := func(id string) string {
		t.Helper()
		tr, err := ts.Transaction(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !tr.IsAuthenticated {
			return tr.Status
		}
		return tr.AuthenticationMethod
	}

	// One unrecognised touch, then recognised: approved with the biometric.
	r := create()
	code, out = ph("pending", "--accept", "--match", r.MatchCode, "--biometric", "fail,success")
	mustOK(t, code, out, "pending with the fingerprint")
	for _, want := range []string{"1 pending request(s):", "    Payee   Example Shop\n    Amount  EUR 25.00\n", "Number matching: ", r.MatchCode,
		"Accepting asks you to verify", "Fingerprint not recognised; try again.", "Fingerprint recognised.", "Accepted."} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %q in:\n%s", want, out)
		}
	}
	if m := method(r.TransactionID); m != "PUSH_WITH_BIOMETRIC" {
		t.Fatalf("the RP sees %s\n%s", m, out)
	}

	// --biometric pin: the PIN approves.
	r = create()
	code, out = ph("pending", "--accept", "--match", r.MatchCode, "--biometric", "pin", "--pin", "24680")
	mustOK(t, code, out, "pending with the PIN")
	if !strings.Contains(out, "using the PIN instead") || method(r.TransactionID) != "PUSH_WITH_PIN" {
		t.Fatalf("PIN fallback: %s\n%s", method(r.TransactionID), out)
	}

	// An unknown outcome is a usage error.
	if code, out = ph("pending", "--biometric", "maybe"); code != 2 || !strings.Contains(out, "--biometric") {
		t.Fatalf("--biometric maybe: exit %d\n%s", code, out)
	}
}
