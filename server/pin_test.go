package server_test

import (
	"net/http"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
)

// Invariant 6: the server verifies PINs with a failure counter; the third
// failure removes the registration (tokens and enrollments with it).
func TestPinCounterAndRemoval(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		// A correct PIN resets the counter.
		ae := wantErr(t, d.Authenticate("00000"), protocol.ErrInvalidPin)
		if ae.RemainingAttempts == nil || *ae.RemainingAttempts != 2 {
			t.Fatalf("remaining = %v, want 2", ae.RemainingAttempts)
		}
		if err := d.Authenticate("13579"); err != nil {
			t.Fatal(err)
		}
		oldAccess := d.Access
		for want := 2; want >= 1; want-- {
			ae := wantErr(t, d.Authenticate("99999"), protocol.ErrInvalidPin)
			if *ae.RemainingAttempts != want {
				t.Fatalf("remaining = %d, want %d", *ae.RemainingAttempts, want)
			}
			if contains(ae.ErrorDescription, "99999") || contains(ae.ErrorDescription, "13579") {
				t.Fatal("PIN in error message")
			}
		}
		// The last wrong PIN: removed, and remaining_attempts 0 says why.
		last := wantErr(t, d.Authenticate("99999"), protocol.ErrUserDeregistered)
		if last.RemainingAttempts == nil || *last.RemainingAttempts != 0 {
			t.Fatalf("last wrong PIN: remaining = %v, want 0", last.RemainingAttempts)
		}
		// Gone: the right PIN no longer works, old tokens are revoked.
		if gone := wantErr(t, d.Authenticate("13579"), protocol.ErrUserDeregistered); gone.RemainingAttempts != nil {
			t.Fatalf("removed registration answers remaining_attempts %d", *gone.RemainingAttempts)
		}
		d.Access = oldAccess
		err := d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil)
		wantErr(t, err, protocol.ErrInvalidToken)
	})
}

// The PIN policy: length 5, no all-same digits, no straight sequences. A
// refused PIN does not spend the authorization code.
func TestPinPolicy(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	code, verifier, err := d.Login(ts.DemoUser, ts.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"11111", "12345", "98765", "1234", "123456", "abcde", "", "1357 "} {
		wantErr(t, d.ExchangeCode(code, verifier, bad), protocol.ErrPinNotAllowed)
	}
	if err := d.ExchangeCode(code, verifier, "13579"); err != nil {
		t.Fatalf("good PIN after refusals: %v", err)
	}
	// The code is single-use.
	wantErr(t, d.ExchangeCode(code, verifier, "13579"), protocol.ErrInvalidGrant)
	// A wrong verifier spends the code too.
	code, _, _ = d.Login(ts.DemoUser, ts.DemoPassword)
	wantErr(t, d.ExchangeCode(code, "wrong-verifier-wrong-verifier-wrong-verifier", "13579"), protocol.ErrInvalidGrant)
}

// A code is bound to the client it was issued to.
func TestCodeBoundToClient(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a, b := ts.NewDevice(), ts.NewDevice()
	code, verifier, err := a.Login(ts.DemoUser, ts.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, b.ExchangeCode(code, verifier, "13579"), protocol.ErrInvalidGrant)
}
