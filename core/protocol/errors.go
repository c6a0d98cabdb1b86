package protocol

import "net/http"

// Device API error strings (ErrorResponse.Error), with the HTTP status the
// server uses and (in the comment) the SDK error code core/client maps them to.
const (
	ErrInvalidRequest          = "invalid_request"            // 400 → 10000
	ErrInvalidDPoP             = "invalid_dpop_proof"         // 401 → 10000
	ErrInvalidClient           = "invalid_client"             // 401 → 9002 (client unknown / deregistered)
	ErrInvalidToken            = "invalid_token"              // 401 → 9010 (expired, revoked, wrong client)
	ErrInvalidGrant            = "invalid_grant"              // 400 → 10000 (bad code, verifier, redirect)
	ErrInvalidPin              = "invalid_pin"                // 400 → 8004, with remaining_attempts
	ErrPinNotAllowed           = "pin_not_allowed"            // 400 → 8015
	ErrUserDeregistered        = "user_deregistered"          // 410 → 9003 (remaining_attempts 0 after the last wrong PIN)
	ErrEnrollmentDisabled      = "enrollment_disabled"        // 403 → 9017
	ErrAlreadyEnrolled         = "already_enrolled"           // 409 → 9016
	ErrEnrolledOnAnotherDevice = "enrolled_on_another_device" // 409 → 9018
	ErrNotEnrolled             = "not_enrolled"               // 403 → 9021
	ErrUserDisenrolled         = "user_disenrolled"           // 403 → 9020
	ErrOTPMalformed            = "otp_malformed"              // 400 → 10018
	ErrNotFound                = "not_found"                  // 404 → 10013 (unknown, or for another user)
	// ErrRequestExpired: the OTP names a request of the caller's own (or an
	// unbound one) whose expiry has passed. The caller proved it holds the
	// OTP, so saying "expired" reveals nothing it did not know; a request
	// bound to another user stays not_found.
	ErrRequestExpired    = "request_expired"    // 410 → 10013 with reason "expired"
	ErrAlreadyHandled    = "already_handled"    // 409 → 9029
	ErrInvalidAnswer     = "invalid_answer"     // 400 → 10000 (bad signature, hash, nonce, late)
	ErrRateLimited       = "rate_limited"       // 429 → 9100
	ErrServerError       = "server_error"       // 500 → 10000
	ErrInvalidScope      = "invalid_scope"      // 400 → 10000 (a scope the grant may not issue; RFC 6749 §5.2)
	ErrInsufficientScope = "insufficient_scope" // 403 (a resource's answer: the token's kind or scope does not reach it; RFC 6750 §3.1)
	// ErrUserDisabled: the operator disabled the user (issue 16): no login,
	// token or answer until enabled again. The profile stays.
	ErrUserDisabled = "user_disabled" // 403 → 10000
	// Client registration (DESIGN §10, names from RFC 7591 §3.2.2): the
	// application is unknown, disabled, or not configured for this platform
	// or version; the redirect URI is not one of the application's (exact
	// match). Both are the app's configuration, so the SDK answers 8001.
	ErrInvalidClientMetadata = "invalid_client_metadata" // 400 → 8001
	ErrInvalidRedirectURI    = "invalid_redirect_uri"    // 400 → 8001
)

// errStatus is the HTTP status the server answers each error with. The SDK's
// mapping of these strings to its own error codes lives on the SDK side
// (core/client), so this package stays free of SDK types.
var errStatus = map[string]int{
	ErrInvalidRequest:          http.StatusBadRequest,
	ErrInvalidDPoP:             http.StatusUnauthorized,
	ErrInvalidScope:            http.StatusBadRequest,
	ErrInsufficientScope:       http.StatusForbidden,
	ErrInvalidClient:           http.StatusUnauthorized,
	ErrInvalidToken:            http.StatusUnauthorized,
	ErrInvalidGrant:            http.StatusBadRequest,
	ErrInvalidPin:              http.StatusBadRequest,
	ErrPinNotAllowed:           http.StatusBadRequest,
	ErrUserDeregistered:        http.StatusGone,
	ErrEnrollmentDisabled:      http.StatusForbidden,
	ErrAlreadyEnrolled:         http.StatusConflict,
	ErrEnrolledOnAnotherDevice: http.StatusConflict,
	ErrNotEnrolled:             http.StatusForbidden,
	ErrUserDisenrolled:         http.StatusForbidden,
	ErrOTPMalformed:            http.StatusBadRequest,
	ErrNotFound:                http.StatusNotFound,
	ErrRequestExpired:          http.StatusGone,
	ErrAlreadyHandled:          http.StatusConflict,
	ErrInvalidAnswer:           http.StatusBadRequest,
	ErrRateLimited:             http.StatusTooManyRequests,
	ErrServerError:             http.StatusInternalServerError,
	ErrInvalidClientMetadata:   http.StatusBadRequest,
	ErrInvalidRedirectURI:      http.StatusBadRequest,
	ErrInvalidIdentityProvider: http.StatusBadRequest,
	ErrCustomRegExpired:        http.StatusBadRequest,
	ErrCustomRegFailed:         http.StatusForbidden,
	ErrUserDisabled:            http.StatusForbidden,
	ErrSSOTargetNotAllowed:     http.StatusForbidden,
}

// HTTPStatus returns the HTTP status the server answers with for error e (500
// for an unknown error string).
func HTTPStatus(e string) int {
	if st, ok := errStatus[e]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// ErrorStrings returns every device API error string (for tests and docs).
func ErrorStrings() []string {
	out := make([]string, 0, len(errStatus))
	for k := range errStatus {
		out = append(out, k)
	}
	return out
}
