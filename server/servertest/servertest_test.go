package servertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

func TestStartSeedsAndCounts(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{Policy: "multiple"})
	if ts.APIClientID != "demo-rp" || ts.APIClientSecret == "" || ts.OTPType != "demo" || ts.DemoUser != "demo" || ts.DemoPassword != "demo1234" {
		t.Fatalf("seed: %+v", ts)
	}
	before := ts.Clock.Now()
	ts.Clock.Advance(time.Minute)
	if got := ts.Clock.Now().Sub(before); got != time.Minute {
		t.Fatalf("Advance moved the clock by %v", got)
	}
	a := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	b := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "24680") // policy multiple from Options
	ctx := context.Background()
	id, otp, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	ts.ResetCounters()
	c, err := a.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Answer(a.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
		t.Fatal(err)
	}
	if ts.DeviceRoundTrips() != 2 {
		t.Fatalf("round trips %d", ts.DeviceRoundTrips())
	}
	tr, err := ts.Transaction(ctx, id)
	if err != nil || tr.Status != "denied" || tr.NotAuthenticatedReason.Reason != "not_accepted" {
		t.Fatalf("transaction %+v %v", tr, err)
	}
	_, err = b.Claim(otp)
	servertest.WantError(t, err, protocol.ErrAlreadyHandled)
	uid := ts.CreateUser("zed", "zed-password")
	if uid != "zed" {
		t.Fatalf("user id %q", uid)
	}
	ts.Close()
	ts.Close() // idempotent
}
