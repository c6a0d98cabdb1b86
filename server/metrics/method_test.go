package metrics

import (
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

func TestMethodOf(t *testing.T) {
	if m := MethodOf(store.Transaction{OTPHash: store.PushOTPHashPrefix + "tx-1"}); m != MethodPush {
		t.Fatalf("push request: %q", m)
	}
	if m := MethodOf(store.Transaction{OTPHash: "0f3a"}); m != MethodOTP {
		t.Fatalf("OTP request: %q", m)
	}
}
