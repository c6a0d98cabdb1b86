package api

import "github.com/openmobileauth/oma/core/dispatch"

// Authenticators and PIN management (issue 15): the OneWelcome RN SDK's
// names and shapes.
const (
	MethodGetAllAuthenticators                         = "getAllAuthenticators"
	MethodGetRegisteredAuthenticators                  = "getRegisteredAuthenticators"
	MethodRegisterAuthenticator                        = "registerAuthenticator"
	MethodDeregisterAuthenticator                      = "deregisterAuthenticator"
	MethodSetPreferredAuthenticator                    = "setPreferredAuthenticator"
	MethodRegisterFingerprintAuthenticator             = "registerFingerprintAuthenticator"
	MethodDeregisterFingerprintAuthenticator           = "deregisterFingerprintAuthenticator"
	MethodSubmitFingerprintAcceptAuthenticationRequest = "submitFingerprintAcceptAuthenticationRequest"
	MethodSubmitFingerprintDenyAuthenticationRequest   = "submitFingerprintDenyAuthenticationRequest"
	MethodSubmitFingerprintFallbackToPin               = "submitFingerprintFallbackToPin"
	MethodChangePin                                    = "changePin"
	MethodValidatePinWithPolicy                        = "validatePinWithPolicy"

	// EventFingerprint carries the biometric authentication's stages.
	EventFingerprint = "ONEWELCOME_FINGERPRINT_NOTIFICATION"

	ActionOnNextAuthenticationAttempt = "onNextAuthenticationAttempt"
	ActionOnFingerprintCaptured       = "onFingerprintCaptured"

	// Authenticator ids (Types.BiometricAuthenticatorIds) and the PIN's.
	AuthenticatorIDPin                = "PIN"
	AuthenticatorIDAndroidFingerprint = "fingerprint"
	AuthenticatorIDIOSBiometric       = "com.onegini.authenticator.TouchID"
)

func init() {
	Events = append(Events, EventFingerprint)
	EventUnions[EventFingerprint] = "FingerprintEvent"
}

// Authenticator is Types.Authenticator.
type Authenticator struct {
	ID           string       `json:"id" doc:"PIN, or the biometric id of Types.BiometricAuthenticatorIds."`
	Name         string       `json:"name"`
	Type         string       `json:"type" doc:"PIN, FINGERPRINT (Android, desktop) or Biometric (iOS)."`
	IsPreferred  bool         `json:"isPreferred"`
	IsRegistered bool         `json:"isRegistered"`
	UserProfile  *UserProfile `json:"userProfile,omitempty"`
}

// AuthenticatorParams name one authenticator.
type AuthenticatorParams struct {
	AuthenticatorID string `json:"authenticatorId" oma:"nonempty"`
}

// PinParams carry a PIN to check against the policy.
type PinParams struct {
	Pin string `json:"pin" doc:"The PIN (a secret: never logged)."`
}

// FingerprintProfile is the profile of a fingerprint startAuthentication event.
type FingerprintProfile struct {
	ProfileID string `json:"profileId"`
}

// FingerprintStart asks the app to offer the biometric prompt: answer with
// submitFingerprintAcceptAuthenticationRequest, ...Deny... or ...FallbackToPin.
type FingerprintStart struct {
	Action      string             `json:"action" const:"startAuthentication" tsenum:"Fingerprint.StartAuthentication"`
	UserProfile FingerprintProfile `json:"userProfile"`
}

// FingerprintNextAttempt: a biometric was not recognised; the prompt goes on.
type FingerprintNextAttempt struct {
	Action string `json:"action" const:"onNextAuthenticationAttempt" tsenum:"Fingerprint.OnNextAuthenticationAttempt"`
}

// FingerprintCaptured: the biometric was recognised; the SDK logs in.
type FingerprintCaptured struct {
	Action string `json:"action" const:"onFingerprintCaptured" tsenum:"Fingerprint.OnFingerprintCaptured"`
}

// FingerprintFinish: the biometric authentication ended.
type FingerprintFinish struct {
	Action string `json:"action" const:"finishAuthentication" tsenum:"Fingerprint.FinishAuthentication"`
}

// The fingerprint event declarations.
var (
	FingerprintStartEvent       = declareEvent[FingerprintStart](EventFingerprint, ActionStartAuthentication, "startFingerprintAuthenticationEvent", "A biometric authentication starts: accept, deny or fall back to the PIN.")
	FingerprintNextAttemptEvent = declareEvent[FingerprintNextAttempt](EventFingerprint, ActionOnNextAuthenticationAttempt, "onNextFingerprintAuthenticationAttemptEvent", "A biometric was not recognised; the prompt continues.")
	FingerprintCapturedEvent    = declareEvent[FingerprintCaptured](EventFingerprint, ActionOnFingerprintCaptured, "onFingerprintCapturedEvent", "The biometric was recognised.")
	FingerprintFinishEvent      = declareEvent[FingerprintFinish](EventFingerprint, ActionFinishAuthentication, "finishFingerprintAuthenticationEvent", "The biometric authentication ended.")
)

var authnCodes = []dispatch.Code{dispatch.CodeNotStarted, dispatch.CodeProfileNotFound, dispatch.CodeNoProfileAuthenticated, dispatch.CodeNotAuthenticated,
	dispatch.CodeAuthenticatorNotSupported, dispatch.CodeAuthenticatorNotRegistered, dispatch.CodeActionInProgress, dispatch.CodeUserDeregistered}

// The declarations.
var (
	GetAllAuthenticators = declare[ProfileParams, []Authenticator](MethodGetAllAuthenticators,
		"Lists the authenticators this device offers for a profile (PIN, and the biometric when a strong biometric is enrolled).",
		dispatch.CodeNotStarted, dispatch.CodeProfileNotFound)
	GetRegisteredAuthenticators = declare[ProfileParams, []Authenticator](MethodGetRegisteredAuthenticators,
		"Lists the authenticators registered for a profile.",
		dispatch.CodeNotStarted, dispatch.CodeProfileNotFound)
	RegisterAuthenticator = declare[AuthenticatorParams, None](MethodRegisterAuthenticator,
		"Registers an authenticator for the authenticated profile: the biometric asks for the PIN first (PIN authentication events).",
		server(append(authnCodes, dispatch.CodeWrongPin, dispatch.CodeCancelled, dispatch.CodeBiometricFailure)...)...)
	DeregisterAuthenticator = declare[AuthenticatorParams, None](MethodDeregisterAuthenticator,
		"Removes an authenticator of the authenticated profile (not the PIN).",
		server(authnCodes...)...)
	SetPreferredAuthenticator = declare[AuthenticatorParams, None](MethodSetPreferredAuthenticator,
		"Makes a registered authenticator the one authenticateUser(profileId, null) uses.",
		authnCodes...)
	RegisterFingerprintAuthenticator = declare[ProfileParams, None](MethodRegisterFingerprintAuthenticator,
		"Registers the biometric authenticator for the authenticated profile (asks for the PIN first).",
		server(append(authnCodes, dispatch.CodeWrongPin, dispatch.CodeCancelled, dispatch.CodeBiometricFailure)...)...)
	DeregisterFingerprintAuthenticator = declare[ProfileParams, None](MethodDeregisterFingerprintAuthenticator,
		"Removes the biometric authenticator of the authenticated profile.",
		server(authnCodes...)...)
	SubmitFingerprintAcceptAuthenticationRequest = declare[None, None](MethodSubmitFingerprintAcceptAuthenticationRequest,
		"Answers startAuthentication: show the biometric prompt.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	SubmitFingerprintDenyAuthenticationRequest = declare[None, None](MethodSubmitFingerprintDenyAuthenticationRequest,
		"Answers startAuthentication: no biometric; authenticateUser rejects with 9006.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	SubmitFingerprintFallbackToPin = declare[None, None](MethodSubmitFingerprintFallbackToPin,
		"Answers startAuthentication: authenticate with the PIN instead (PIN authentication events follow).",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	ChangePin = declare[None, None](MethodChangePin,
		"Changes the authenticated profile's PIN: PIN authentication events for the current PIN, then PIN creation events for the new one.",
		server(dispatch.CodeNotStarted, dispatch.CodeNoProfileAuthenticated, dispatch.CodeNotAuthenticated, dispatch.CodeWrongPin, dispatch.CodeUserDeregistered,
			dispatch.CodeCancelled, dispatch.CodeActionInProgress, dispatch.CodePinNotAllowed)...)
	ValidatePinWithPolicy = declare[PinParams, None](MethodValidatePinWithPolicy,
		"Checks a PIN against the PIN policy: 9011 blacklisted, 9012 a sequence, 9013 similar digits, 9014 wrong length, 8015 not digits.",
		dispatch.CodeNotStarted, dispatch.CodePinBlacklisted, dispatch.CodePinIsASequence, dispatch.CodePinSimilarDigits, dispatch.CodePinWrongLength, dispatch.CodePinNotAllowed)
)
