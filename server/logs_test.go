package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// Invariant 8: OTPs, PINs, tokens, codes, passwords, secrets and proofs never
// reach the logs (captured at debug level) or error messages.
func TestSecretsAbsentFromLogs(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	secrets := []string{ts.APIClientSecret, ts.DemoPassword}
	d := ts.NewDevice()
	code, verifier, err := d.Login(ts.DemoUser, ts.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, code, verifier)
	// A refused PIN and a wrong password are logged about too.
	_ = d.ExchangeCode(code, verifier, "11111")
	if err := d.ExchangeCode(code, verifier, "86420"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Login(ts.DemoUser, "wrong-password-xyz"); err == nil {
		t.Fatal("wrong password accepted")
	}
	secrets = append(secrets, "wrong-password-xyz", "86420", d.Access, d.Refresh)
	if err := d.Enroll(); err != nil {
		t.Fatal(err)
	}
	_ = d.Authenticate("97531") // wrong PIN
	if err := d.Authenticate("86420"); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, "97531", d.Access, d.Refresh)
	_, otp := newRequest(t, ts, rp.CreateParams{})
	secrets = append(secrets, otp)
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = d.Claim(otp)                        // refused replay
	_, _ = d.Claim(strings.ToLower(otp) + "x") // malformed
	a := d.SignedAnswer(c, protocol.DecisionAccept, nil)
	proof := d.Proof(http.MethodPost, protocol.PathAnswer, "", nil)
	st, body, err := d.Raw(http.MethodPost, protocol.PathAnswer, proof, "", a)
	if err != nil || st != 200 {
		t.Fatalf("answer: %d %s %v", st, body, err)
	}
	_, _, _ = d.Raw(http.MethodPost, protocol.PathAnswer, proof, "", a) // replayed proof
	secrets = append(secrets, a.Signature, proof, c.Nonce)
	if err := d.Call(http.MethodPost, protocol.PathLogout, true, nil, nil); err != nil {
		t.Fatal(err)
	}

	logs := ts.Logs.String()
	if !strings.Contains(logs, "authentication request answered") || !strings.Contains(logs, `"path":"/device/v1/token"`) {
		t.Fatalf("logs were not captured (test would prove nothing):\n%s", logs)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("secret %.6s… appears in the logs", s)
		}
	}
	for _, s := range []string{otp[:12], d.Access[:12]} {
		if strings.Contains(logs, s) {
			t.Errorf("a fragment of a secret appears in the logs")
		}
	}
}
