package user

import "github.com/openmobileauth/oma/core/protocol/pinpolicy"

// CheckPinPolicy applies the PIN policy shared with the Token Server
// (core/protocol/pinpolicy) to a new PIN of length n: pinpolicy.OK, or the
// reason it is refused (its Code is the pinNotAllowed event's errorCode, its
// Message the errorMsg; neither contains the PIN).
func CheckPinPolicy(pin string, n int) pinpolicy.Reason { return pinpolicy.Check(pin, n) }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
