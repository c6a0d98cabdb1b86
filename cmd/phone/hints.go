package main

import (
	"errors"

	"github.com/openmobileauth/oma/core/dispatch"
)

// hint returns what a newcomer should do next after err from command cmd, or
// "" when the error message says enough. The SDK's codes decide, not the
// message text.
func hint(cmd string, err error) string {
	var se *sdkError
	if !errors.As(err, &se) {
		return ""
	}
	switch dispatch.Code(se.Code) {
	case dispatch.CodeNotEnrolled, dispatch.CodeNoProfileAuthenticated:
		if cmd == "scan" || cmd == "pending" || cmd == "listen" {
			return "this phone is not enrolled for mobile authentication yet: run 'phone register' (once), then 'phone enroll', then scan again"
		}
	case dispatch.CodeEnrolledOnAnotherDevice:
		return "the server's re-enrollment policy is 'single': one enrolled phone per user, and another phone is enrolled. " +
			"Use that phone, or ask the operator to remove the user's devices ('tokenserver user reset-devices --user NAME') and run 'phone enroll' again"
	case dispatch.CodeUserDeregistered:
		if n, ok := se.Data["remainingFailureCount"].(float64); ok && n == 0 {
			return "the PIN was wrong too many times, so the registration was removed from this phone and the server: run 'phone register' to register again"
		}
		return "the server no longer knows this registration (removed there): run 'phone register' to register again"
	case dispatch.CodeSingleSignOnDisabled:
		return "the server does not allow single sign-on to this address for the app: the operator adds it with 'tokenserver app update --id oma-app --sso-target URL' (exact match)"
	case dispatch.CodeRequestNotFound:
		if se.Data["reason"] == "expired" {
			return "the request expired before it was answered: ask the site for a new code (the demo page's 'New code' button) and scan that one"
		}
		return "the server knows no request with this code for this user: check the code, or ask the site for a new one"
	}
	return ""
}
