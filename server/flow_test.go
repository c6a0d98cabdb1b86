package server_test

import (
	"context"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

var ctx = context.Background()

// stores runs fn against SQLite and, when OMA_TEST_POSTGRES_URL is set, PostgreSQL.
func stores(t *testing.T, fn func(t *testing.T, o servertest.Options)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, servertest.Options{}) })
	t.Run("postgres", func(t *testing.T) {
		u, ok := servertest.PostgresStoreURL(t)
		if !ok {
			t.Skip("OMA_TEST_POSTGRES_URL not set")
		}
		fn(t, servertest.Options{StoreURL: u})
	})
}

func TestFullFlow(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		txID, otp, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "Log in to Example?", IPAddress: "203.0.113.7",
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := ts.Transaction(ctx, txID)
		if err != nil || tr.Status != "pending" || tr.IsAuthenticated {
			t.Fatalf("fresh transaction = %+v, %v", tr, err)
		}
		ts.ResetCounters()
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		if c.Message != "Log in to Example? from Chrome on Linux, IP 203.0.113.7" || c.TransactionID != txID || c.Nonce == "" {
			t.Fatalf("claim = %+v", c)
		}
		ar, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil))
		if err != nil || ar.Status != "accepted" {
			t.Fatalf("answer = %+v, %v", ar, err)
		}
		if n := ts.DeviceRoundTrips(); n != 2 {
			t.Errorf("device round trips = %d, want 2", n)
		}
		tr, err = ts.WaitTransaction(ctx, txID, 5)
		if err != nil || tr.Status != "accepted" || !tr.IsAuthenticated || tr.UserID != ts.DemoUserID || tr.NotAuthenticatedReason.Reason != "" {
			t.Fatalf("answered transaction = %+v, %v", tr, err)
		}
		if err := d.Authenticate("13579"); err != nil {
			t.Fatalf("PIN login: %v", err)
		}
	})
}
