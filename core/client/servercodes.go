package client

import (
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
)

// serverCodes maps each device API error string (DESIGN §6; core/protocol's
// vocabulary) to the SDK error code a refusal with it becomes.
var serverCodes = map[string]dispatch.Code{
	protocol.ErrInvalidRequest:          dispatch.CodeGeneral,
	protocol.ErrInvalidDPoP:             dispatch.CodeGeneral,
	protocol.ErrInvalidClient:           dispatch.CodeDeviceDeregistered,
	protocol.ErrInvalidToken:            dispatch.CodeNotAuthenticated,
	protocol.ErrInvalidGrant:            dispatch.CodeGeneral,
	protocol.ErrInvalidPin:              dispatch.CodeWrongPin,
	protocol.ErrPinNotAllowed:           dispatch.CodePinNotAllowed,
	protocol.ErrUserDeregistered:        dispatch.CodeUserDeregistered,
	protocol.ErrEnrollmentDisabled:      dispatch.CodeEnrollmentNotAvailable,
	protocol.ErrAlreadyEnrolled:         dispatch.CodeDeviceAlreadyEnrolled,
	protocol.ErrEnrolledOnAnotherDevice: dispatch.CodeEnrolledOnAnotherDevice,
	protocol.ErrNotEnrolled:             dispatch.CodeNotEnrolled,
	protocol.ErrUserDisenrolled:         dispatch.CodeUserDisenrolled,
	protocol.ErrOTPMalformed:            dispatch.CodeNotHandleable,
	protocol.ErrNotFound:                dispatch.CodeRequestNotFound,
	protocol.ErrRequestExpired:          dispatch.CodeRequestNotFound,
	protocol.ErrAlreadyHandled:          dispatch.CodeAlreadyHandled,
	protocol.ErrInvalidAnswer:           dispatch.CodeGeneral,
	protocol.ErrRateLimited:             dispatch.CodeRateLimited,
	protocol.ErrServerError:             dispatch.CodeGeneral,
	protocol.ErrInvalidClientMetadata:   dispatch.CodeConfiguration,
	protocol.ErrInvalidRedirectURI:      dispatch.CodeConfiguration,
	protocol.ErrInvalidIdentityProvider: dispatch.CodeInvalidIdentityProvider,
	protocol.ErrCustomRegExpired:        dispatch.CodeCustomRegistrationExpired,
	protocol.ErrCustomRegFailed:         dispatch.CodeCustomRegistrationFailure,
	protocol.ErrSSOTargetNotAllowed:     dispatch.CodeSingleSignOnDisabled,
	protocol.ErrInvalidScope:            dispatch.CodeGeneral,
	protocol.ErrInsufficientScope:       dispatch.CodeGeneral,
	protocol.ErrUserDisabled:            dispatch.CodeGeneral,
}

// SDKCode returns the SDK error code for device API error e (CodeGeneral for an
// unknown one).
func SDKCode(e string) dispatch.Code {
	if c, ok := serverCodes[e]; ok {
		return c
	}
	return dispatch.CodeGeneral
}
