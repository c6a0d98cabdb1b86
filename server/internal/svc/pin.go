package svc

import "github.com/openmobileauth/oma/core/protocol/pinpolicy"

// PinPolicy applies the PIN policy shared with the SDK (core/protocol/pinpolicy)
// to a new PIN of length digits.
func PinPolicy(pin string, length int) pinpolicy.Reason { return pinpolicy.Check(pin, length) }
