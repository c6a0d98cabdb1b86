package server_test

import (
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// Invariant 6: OTP claims, PIN attempts, logins and request creation are
// rate-limited.
func TestRateLimitsBite(t *testing.T) {
	slow := ratelimit.Limit{Rate: 0.0001, Burst: 3}
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Limits = server.Limits{ClaimPerClient: slow, PinPerProfile: slow, CreatePerAPIClient: ratelimit.Limit{Rate: 0.0001, Burst: 5}, LoginPerUser: ratelimit.Limit{Rate: 0.0001, Burst: 4}}
		c.PinMaxAttempts = 100 // so the limiter, not the counter, stops the PIN attempts
	}})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")

	for i := 0; i < 3; i++ {
		_, err := d.Claim(protocol.NewOTP())
		wantErr(t, err, protocol.ErrNotFound)
	}
	_, err := d.Claim(protocol.NewOTP())
	wantErr(t, err, protocol.ErrRateLimited)
	// Per client: another device is not affected.
	ts.SetPolicy("multiple")
	e := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "24680")
	_, err = e.Claim(protocol.NewOTP())
	wantErr(t, err, protocol.ErrNotFound)

	for i := 0; i < 3; i++ {
		wantErr(t, d.Authenticate("00000"), protocol.ErrInvalidPin)
	}
	wantErr(t, d.Authenticate("13579"), protocol.ErrRateLimited)

	for i := 0; i < 5; i++ {
		if _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi"}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi"})
	wantRPErr(t, err, 429, httpio.RPCodeRateLimited)

	// Logins: the demo user has used 2 (two registrations); 2 more, then refused.
	f := ts.NewDevice()
	for i := 0; i < 2; i++ {
		if _, _, err := f.Login(ts.DemoUser, "wrong-password"); err == nil {
			t.Fatal("wrong password accepted")
		}
	}
	if _, _, err := f.Login(ts.DemoUser, ts.DemoPassword); err == nil || !contains(err.Error(), "429") {
		t.Fatalf("login beyond the limit: %v", err)
	}
}
