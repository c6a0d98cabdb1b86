package user

import (
	"testing"

	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
)

// The SDK refuses exactly what the shared table says (the server's test runs
// the same table: server/pinpolicy_test.go).
func TestPinPolicy(t *testing.T) {
	for _, e := range pinpolicy.Examples {
		r := CheckPinPolicy(e.PIN, e.Length)
		if r != e.Want {
			t.Errorf("CheckPinPolicy(%q, %d) = %v, want %v", e.PIN, e.Length, r, e.Want)
		}
		if m := r.Message(e.Length); len(e.PIN) >= 4 && contains(m, e.PIN) {
			t.Errorf("message leaks the PIN: %q", m)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
