package server_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// Invariant 3: an OTP is claimed once.
func TestOTPReplayRefused(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		ts.SetPolicy("multiple")
		a := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		b := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "24680")
		_, otp := newRequest(t, ts, rp.CreateParams{})
		if _, err := a.Claim(otp); err != nil {
			t.Fatal(err)
		}
		_, err := a.Claim(otp)
		wantErr(t, err, protocol.ErrAlreadyHandled)
		_, err = b.Claim(otp)
		wantErr(t, err, protocol.ErrAlreadyHandled)
		_, err = a.Claim(strings.ToLower(otp)) // normalised form is the same OTP
		wantErr(t, err, protocol.ErrAlreadyHandled)
	})
}

// Invariant 3: an OTP expires at its type's expiry: valid at expiry-1s,
// refused at expiry (the server's clock is moved, nothing sleeps).
func TestOTPExpiryBoundary(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id1, otp1 := newRequest(t, ts, rp.CreateParams{})
		id2, otp2 := newRequest(t, ts, rp.CreateParams{})
		bobID := ts.CreateUser("bob", "bob-password-1")
		_, otpBob := newRequest(t, ts, rp.CreateParams{UserID: bobID, Message: "Example for bob"})
		ts.Clock.Advance(5*time.Minute - time.Second)
		if _, err := d.Claim(otp1); err != nil {
			t.Fatalf("claim at expiry-1s: %v", err)
		}
		if s := status(t, ts, id2); s != "pending" {
			t.Fatalf("status at expiry-1s = %s", s)
		}
		ts.Clock.Advance(time.Second)
		// Expired: said so (the caller holds the OTP), without the message.
		_, err := d.Claim(otp2)
		ae := wantErr(t, err, protocol.ErrRequestExpired)
		if strings.Contains(ae.ErrorDescription, "Example") || !strings.Contains(ae.ErrorDescription, "new code") {
			t.Fatalf("expired claim: %q", ae.ErrorDescription)
		}
		// Expired and bound to another user: still only not_found.
		_, err = d.Claim(otpBob)
		ae = wantErr(t, err, protocol.ErrNotFound)
		if strings.Contains(ae.ErrorDescription, "Example") || strings.Contains(ae.ErrorDescription, "expired") {
			t.Fatalf("expired claim of another user's request: %q", ae.ErrorDescription)
		}
		tr, _ := ts.Transaction(ctx, id2)
		if tr.Status != "expired" || tr.NotAuthenticatedReason.Reason != "expired" || tr.IsAuthenticated {
			t.Fatalf("expired transaction = %+v", tr)
		}
		if s := status(t, ts, id1); s != "expired" {
			t.Fatalf("claimed-but-unanswered at expiry = %s, want expired", s)
		}
	})
}

func TestOTPMalformedAndUnknown(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	for _, bad := range []string{"", "short", strings.Repeat("A", 31), strings.Repeat("1", 32), strings.Repeat("A", 33), "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ"} {
		_, err := d.Claim(bad)
		wantErr(t, err, protocol.ErrOTPMalformed)
	}
	_, err := d.Claim(protocol.NewOTP())
	wantErr(t, err, protocol.ErrNotFound)
}

// Invariant 3: the server stores only the OTP's hash.
func TestOTPStoredOnlyAsHash(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	_, otp := newRequest(t, ts, rp.CreateParams{})
	p := strings.TrimPrefix(ts.StoreURL, "sqlite:")
	var all []byte
	for _, f := range []string{p, p + "-wal"} {
		b, err := os.ReadFile(f)
		if err == nil {
			all = append(all, b...)
		}
	}
	if len(all) == 0 {
		t.Fatalf("no store files under %s", filepath.Dir(p))
	}
	if bytes.Contains(all, []byte(otp)) {
		t.Fatal("the OTP is stored in clear")
	}
	if !bytes.Contains(all, []byte(protocol.HashOTP(otp))) {
		t.Fatal("the OTP hash is not where expected (test would prove nothing)")
	}
}
