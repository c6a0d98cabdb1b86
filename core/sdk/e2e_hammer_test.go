package sdk_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestE2EHammerAgainstServer: a registered, enrolled device gets random
// sequences of valid calls from four goroutines (out of order, twice,
// concurrently), with real OTPs from the relying-party API mixed in; then the
// core closes. Every call is answered with a table code, nothing panics or
// deadlocks (-race), and the goroutines return to the baseline.
func TestE2EHammerAgainstServer(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	for _, seed := range []int64{7, 42} {
		base := baseline()
		a := newDevice(t)
		start(a, ts)
		user := fmt.Sprintf("hammer-%d", seed) // its own user: the single-device policy holds per user
		ts.CreateUser(user, "hammer-password-1")
		pid := register(a, user, "hammer-password-1")
		a.do(api.MethodEnrollMobileAuthentication, nil)
		a.clearEvents()
		otps := func() string {
			_, otp, err := ts.CreateAuthRequest(context.Background(), rp.CreateParams{Message: "hammer"})
			if err != nil {
				t.Errorf("creating an OTP: %v", err)
			}
			return otp
		}
		seen := hammer(t, a, seed, 4, 120, []string{pid}, otps)
		t.Logf("seed %d: answers (method code → count): %v", seed, seen)
		if seen[api.MethodAcceptMobileAuthConfirmation+" 0"]+seen[api.MethodDenyMobileAuthConfirmation+" 0"] == 0 {
			t.Errorf("seed %d: no OTP confirmation was ever reached; the hammer did not exercise the flow", seed)
		}
		waitGoroutines(t, base)
	}
}
