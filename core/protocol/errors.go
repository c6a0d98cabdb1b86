package protocol

import (
	"net/http"

	"github.com/openmobileauth/oma/core/dispatch"
)

// Device API error strings (ErrorResponse.Error), with the HTTP status the
// server uses and the SDK error code the core maps them to.
const (
	ErrInvalidRequest          = "invalid_request"            // 400 → 10000
	ErrInvalidDPoP             = "invalid_dpop_proof"         // 401 → 10000
	ErrInvalidClient           = "invalid_client"             // 401 → 9002 (client unknown / deregistered)
	ErrInvalidToken            = "invalid_token"              // 401 → 9010 (expired, revoked, wrong client)
	ErrInvalidGrant            = "invalid_grant"              // 400 → 10000 (bad code, verifier, redirect)
	ErrInvalidPin              = "invalid_pin"                // 400 → 8004, with remaining_attempts
	ErrPinNotAllowed           = "pin_not_allowed"            // 400 → 8015
	ErrUserDeregistered        = "user_deregistered"          // 410 → 9003
	ErrEnrollmentDisabled      = "enrollment_disabled"        // 403 → 9017
	ErrAlreadyEnrolled         = "already_enrolled"           // 409 → 9016
	ErrEnrolledOnAnotherDevice = "enrolled_on_another_device" // 409 → 9018
	ErrNotEnrolled             = "not_enrolled"               // 403 → 9021
	ErrUserDisenrolled         = "user_disenrolled"           // 403 → 9020
	ErrOTPMalformed            = "otp_malformed"              // 400 → 10018
	ErrNotFound                = "not_found"                  // 404 → 10013 (unknown, expired, or for another user)
	ErrAlreadyHandled          = "already_handled"            // 409 → 9029
	ErrInvalidAnswer           = "invalid_answer"             // 400 → 10000 (bad signature, hash, nonce, late)
	ErrRateLimited             = "rate_limited"               // 429 → 9012
	ErrServerError             = "server_error"               // 500 → 10000
)

type errInfo struct {
	status int
	code   dispatch.Code
}

var errTable = map[string]errInfo{
	ErrInvalidRequest:          {http.StatusBadRequest, dispatch.CodeGeneral},
	ErrInvalidDPoP:             {http.StatusUnauthorized, dispatch.CodeGeneral},
	ErrInvalidClient:           {http.StatusUnauthorized, dispatch.CodeDeviceDeregistered},
	ErrInvalidToken:            {http.StatusUnauthorized, dispatch.CodeNotAuthenticated},
	ErrInvalidGrant:            {http.StatusBadRequest, dispatch.CodeGeneral},
	ErrInvalidPin:              {http.StatusBadRequest, dispatch.CodeWrongPin},
	ErrPinNotAllowed:           {http.StatusBadRequest, dispatch.CodePinNotAllowed},
	ErrUserDeregistered:        {http.StatusGone, dispatch.CodeUserDeregistered},
	ErrEnrollmentDisabled:      {http.StatusForbidden, dispatch.CodeEnrollmentNotAvailable},
	ErrAlreadyEnrolled:         {http.StatusConflict, dispatch.CodeDeviceAlreadyEnrolled},
	ErrEnrolledOnAnotherDevice: {http.StatusConflict, dispatch.CodeEnrolledOnAnotherDevice},
	ErrNotEnrolled:             {http.StatusForbidden, dispatch.CodeNotEnrolled},
	ErrUserDisenrolled:         {http.StatusForbidden, dispatch.CodeUserDisenrolled},
	ErrOTPMalformed:            {http.StatusBadRequest, dispatch.CodeNotHandleable},
	ErrNotFound:                {http.StatusNotFound, dispatch.CodeRequestNotFound},
	ErrAlreadyHandled:          {http.StatusConflict, dispatch.CodeAlreadyHandled},
	ErrInvalidAnswer:           {http.StatusBadRequest, dispatch.CodeGeneral},
	ErrRateLimited:             {http.StatusTooManyRequests, dispatch.CodeRateLimited},
	ErrServerError:             {http.StatusInternalServerError, dispatch.CodeGeneral},
}

// HTTPStatus returns the HTTP status the server answers with for error e (500
// for an unknown error string).
func HTTPStatus(e string) int {
	if i, ok := errTable[e]; ok {
		return i.status
	}
	return http.StatusInternalServerError
}

// SDKCode returns the SDK error code for device API error e (CodeGeneral for an
// unknown one).
func SDKCode(e string) dispatch.Code {
	if i, ok := errTable[e]; ok {
		return i.code
	}
	return dispatch.CodeGeneral
}

// ErrorStrings returns every device API error string (for tests and docs).
func ErrorStrings() []string {
	out := make([]string, 0, len(errTable))
	for k := range errTable {
		out = append(out, k)
	}
	return out
}
