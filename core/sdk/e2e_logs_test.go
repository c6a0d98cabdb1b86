package sdk_test

import (
	"strings"
	"testing"

	"github.com/openmobileauth/oma/internal/testutil"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/redact"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/rs/zerolog"
)

// TestE2ESecretsNeverLogged runs registration, PIN authentication with a
// wrong PIN, enrollment and an OTP flow with the core logging at debug level
// and checks that no PIN, OTP, token or password reached the log, and that
// error messages carry none either.
func TestE2ESecretsNeverLogged(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	var buf testutil.SyncBuffer
	logger := redact.NewLogger(&buf, zerolog.DebugLevel)
	st := device.NewMemStorage()
	a := newPhoneLogged(t, st, device.NewSoftKeyStore(st), &logger)
	start(a, ts)
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	tok := a.do(api.MethodGetAccessToken, nil).Str
	authenticate(a, pid, otherPin, goodPin)
	a.do(api.MethodEnrollMobileAuthentication, nil)
	_, otp := createOTP(t, ts, "Log check", "")
	answerOTP(a, otp, protocol.DecisionAccept)
	e := a.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp}).wait().Raw // handled twice: an error
	logs := buf.String()
	for name, secret := range map[string]string{"PIN": goodPin, "wrong PIN": otherPin, "OTP": otp, "token": tok, "password": ts.DemoPassword} {
		if strings.Contains(logs, secret) {
			t.Errorf("%s in the log", name)
		}
		if strings.Contains(e, secret) {
			t.Errorf("%s in an error message", name)
		}
	}
	if !strings.Contains(logs, "client registered") || !strings.Contains(logs, protocol.PathAnswer) {
		t.Fatalf("the core did not log at all; the check is vacuous: %q", logs)
	}
}
