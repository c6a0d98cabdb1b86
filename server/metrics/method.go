package metrics

import (
	"strings"

	"github.com/openmobileauth/oma/server/store"
)

// MethodOf is the method label of tr: MethodPush for a push request (its
// OTP hash carries store.PushOTPHashPrefix), else MethodOTP.
func MethodOf(tr store.Transaction) string {
	if strings.HasPrefix(tr.OTPHash, store.PushOTPHashPrefix) {
		return MethodPush
	}
	return MethodOTP
}
