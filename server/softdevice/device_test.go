package softdevice_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/softdevice"
)

// A software device set up through the real protocol against a real server
// answers a real request; the relying party sees the decision.
func TestSetupClaimRespond(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	ctx := context.Background()
	d, err := softdevice.New(ts.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Setup(ctx, ts.DemoUser, ts.DemoPassword, "97531"); err != nil {
		t.Fatal(err)
	}
	if d.ClientID == "" || d.ProfileID == "" || d.UserID != ts.DemoUserID || d.Access == "" || d.Enrollment == "" || d.Certificate == nil {
		t.Fatalf("device not set up: %+v", d)
	}
	tx, otp, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "softdevice", UserID: d.UserID})
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Claim(ctx, otp)
	if err != nil || c.TransactionID != tx {
		t.Fatalf("claim: %+v %v", c, err)
	}
	a, err := d.Respond(ctx, c, protocol.DecisionAccept)
	if err != nil || a.Status != "accepted" {
		t.Fatalf("answer: %+v %v", a, err)
	}
	if got, err := ts.Transaction(ctx, tx); err != nil || !got.IsAuthenticated {
		t.Fatalf("transaction after the answer: %+v %v", got, err)
	}
	// the same answer again is refused with the device API's error object
	_, err = d.Respond(ctx, c, protocol.DecisionAccept)
	var ae *softdevice.APIError
	if !errors.As(err, &ae) || ae.Op != "answer" || ae.Status != http.StatusConflict || ae.ErrorResponse.Error == "" {
		t.Fatalf("second answer: %v", err)
	}
}

// A refused password is an *APIError naming the login, with the status of
// the page shown again; nothing of the device is set.
func TestLoginWrongPassword(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	ctx := context.Background()
	d, err := softdevice.New(ts.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.RegisterClient(ctx); err != nil {
		t.Fatal(err)
	}
	err = d.RegisterUser(ctx, ts.DemoUser, "not-the-password", "97531")
	var ae *softdevice.APIError
	if !errors.As(err, &ae) || ae.Op != "login (wrong password?)" || ae.Status != http.StatusOK || d.ProfileID != "" || d.Access != "" {
		t.Fatalf("wrong password: %v (profile %q)", err, d.ProfileID)
	}
	if _, err := d.SignedAnswer(protocol.ClaimResponse{TransactionID: "x"}, protocol.DecisionAccept, nil); err == nil {
		t.Fatal("an unenrolled device signed an answer")
	}
}
