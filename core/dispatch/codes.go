package dispatch

// Code is a stable numeric error code. The numbers follow the Onegini SDK where
// one exists; every platform (Go, Kotlin, Objective-C, TypeScript) uses the same
// number for the same condition. This table is the single source: the JS package
// tests its own copy against CodeTable().
type Code int

// The whole code table. Keep it in sync with js/src/errors.ts (checked by tests).
const (
	// CodeInternal: an unexpected failure inside the SDK (a recovered panic, a bug).
	CodeInternal Code = 8000
	// CodeConfiguration: the configuration given to start or startClient is invalid.
	CodeConfiguration Code = 8001
	// CodeWrongPin: the PIN was wrong; data.remainingFailureCount tells what is left.
	CodeWrongPin Code = 8004
	// CodeResourceCallError: a resource request refused before it was sent:
	// its URL is outside the resource base URL (no token leaves for it).
	CodeResourceCallError Code = 8005
	// CodeProfileNotFound: the profile id does not exist on this device.
	CodeProfileNotFound Code = 8007
	// CodeBadParameters: malformed envelope or wrong/missing parameters.
	CodeBadParameters Code = 8009
	// CodeUnknownMethod: the method name is not in the method table.
	CodeUnknownMethod Code = 8011
	// CodeNoProfileAuthenticated: the call needs an authenticated profile and none is
	// authenticated on this device (the official SDK's NoProfileAuthenticated). A
	// session the server no longer accepts is 9010 instead.
	CodeNoProfileAuthenticated Code = 8012
	// CodeNoMobileAuthInProgress: accept/deny called with no mobile authentication waiting.
	CodeNoMobileAuthInProgress Code = 8013
	// CodeNoFlowInProgress: submitPin/cancel/callback called with no matching flow waiting.
	CodeNoFlowInProgress Code = 8014
	// CodePinNotAllowed: the chosen PIN breaks the PIN policy.
	CodePinNotAllowed Code = 8015
	// CodeNotStarted: the SDK (bridge or client) has not been started.
	CodeNotStarted Code = 8020
	// CodeAlreadyStarted: start was called a second time.
	CodeAlreadyStarted Code = 8021
	// CodeNetwork: a network failure talking to the server (timeout, reset, TLS failure).
	CodeNetwork Code = 9000
	// CodeServerNotReachable: the server could not be reached at all.
	CodeServerNotReachable Code = 9001
	// CodeDeviceDeregistered: the server no longer knows this app instance.
	CodeDeviceDeregistered Code = 9002
	// CodeUserDeregistered: the server no longer knows this user registration.
	CodeUserDeregistered Code = 9003
	// CodeCancelled: the user or app cancelled the flow (also: a denied mobile authentication).
	CodeCancelled Code = 9006
	// CodeActionInProgress: the same kind of flow is already running.
	CodeActionInProgress Code = 9007
	// CodeNotAuthenticatedImplicitly: an ImplicitUser resource request with no
	// valid implicit token (authenticateUserImplicitly first).
	CodeNotAuthenticatedImplicitly Code = 9026
	// CodeNotAuthenticated: the call needs an authenticated user and there is none.
	CodeNotAuthenticated Code = 9010
	// CodePinBlacklisted: the new PIN is one of the easily guessed ones (pinNotAllowed event).
	CodePinBlacklisted Code = 9011
	// CodePinIsASequence: the new PIN is a sequence of consecutive digits
	// (pinNotAllowed event; Onegini's PinIsASequence).
	CodePinIsASequence Code = 9012
	// CodePinSimilarDigits: the new PIN repeats one digit (pinNotAllowed event).
	CodePinSimilarDigits Code = 9013
	// CodePinWrongLength: the new PIN does not have the required length (pinNotAllowed event).
	CodePinWrongLength Code = 9014
	// CodeDeviceAlreadyEnrolled: this device is already enrolled for mobile authentication.
	CodeDeviceAlreadyEnrolled Code = 9016
	// CodeEnrollmentNotAvailable: mobile-authentication enrollment is disabled on the server.
	CodeEnrollmentNotAvailable Code = 9017
	// CodeEnrolledOnAnotherDevice: the server's single-device policy refuses this enrollment.
	CodeEnrolledOnAnotherDevice Code = 9018
	// CodeUserDisenrolled: the user's enrollment was removed on the server.
	CodeUserDisenrolled Code = 9020
	// CodeNotEnrolled: the user is not enrolled for mobile authentication on this device.
	CodeNotEnrolled Code = 9021
	// CodeAlreadyHandled: the mobile authentication request was already answered or claimed.
	CodeAlreadyHandled Code = 9029
	// CodeRateLimited: the server refused because of too many attempts; try
	// later. A project-specific code: 9100 is in none of Onegini's tables (it
	// was 9012 before, which Onegini uses for PinIsASequence).
	CodeRateLimited Code = 9100
	// CodeGeneral: a server answer the SDK could not interpret.
	CodeGeneral Code = 10000
	// CodeRequestNotFound: the mobile authentication request is unknown or expired.
	CodeRequestNotFound Code = 10013
	// CodeDeviceNotAuthenticated: an Anonymous resource request with no valid
	// device token (authenticateDeviceForResource first).
	CodeDeviceNotAuthenticated Code = 10012
	// CodeNotHandleable: the OTP is malformed and cannot be handled.
	CodeNotHandleable Code = 10018
	// CodeInvalidIdentityProvider: the identity provider is unknown to this app's application, or of the wrong kind.
	CodeInvalidIdentityProvider Code = 10020
	// CodeCustomRegistrationExpired: the custom registration is unknown, used or expired.
	CodeCustomRegistrationExpired Code = 10021
	// CodeCustomRegistrationFailure: the identity provider refused the registration (or its answer was not trusted).
	CodeCustomRegistrationFailure Code = 10022
	// CodeSingleSignOnDisabled: app-to-web single sign-on is not available
	// for this target (not one of the application's allow-listed targets).
	CodeSingleSignOnDisabled Code = 10023
	// CodeAuthenticatorDeregistered: the biometric key is invalid (the enrolled
	// biometrics changed); the authenticator was removed, register it again.
	CodeAuthenticatorDeregistered Code = 9022
	// CodeBiometricFailure: the biometric prompt is locked out or unavailable.
	CodeBiometricFailure Code = 9030
	// CodeAuthenticatorNotSupported: this device offers no such authenticator.
	CodeAuthenticatorNotSupported Code = 10006
	// CodeAuthenticatorNotRegistered: the authenticator is not registered for the profile.
	CodeAuthenticatorNotRegistered Code = 10007
)

// CodeInfo describes one code of the table.
type CodeInfo struct {
	Code   Code   `json:"code"`
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Doc    string `json:"doc"`
}

var codeTable = []CodeInfo{
	{CodeInternal, "INTERNAL_ERROR", "sdk", "unexpected failure inside the SDK"},
	{CodeConfiguration, "CONFIGURATION_ERROR", "sdk", "invalid configuration"},
	{CodeWrongPin, "WRONG_PIN", "pin", "wrong PIN; remaining attempts in data"},
	{CodeResourceCallError, "RESOURCE_CALL_ERROR", "sdk", "resource URL outside the resource base URL"},
	{CodeProfileNotFound, "PROFILE_DOES_NOT_EXIST", "user", "profile id does not exist"},
	{CodeBadParameters, "BAD_PARAMETERS", "sdk", "malformed request or wrong parameters"},
	{CodeUnknownMethod, "UNKNOWN_METHOD", "sdk", "method not in the method table"},
	{CodeNoProfileAuthenticated, "NO_PROFILE_AUTHENTICATED", "user", "no profile authenticated on this device"},
	{CodeNoMobileAuthInProgress, "NO_MOBILE_AUTH_IN_PROGRESS", "mobileAuth", "no mobile authentication waiting for an answer"},
	{CodeNoFlowInProgress, "NO_FLOW_IN_PROGRESS", "sdk", "no matching flow waiting"},
	{CodePinNotAllowed, "PIN_NOT_ALLOWED", "pin", "PIN breaks the PIN policy"},
	{CodeNotStarted, "SDK_NOT_STARTED", "sdk", "SDK not started"},
	{CodeAlreadyStarted, "SDK_ALREADY_STARTED", "sdk", "SDK already started"},
	{CodeNetwork, "NETWORK_ERROR", "network", "network failure"},
	{CodeServerNotReachable, "SERVER_NOT_REACHABLE", "network", "server not reachable"},
	{CodeDeviceDeregistered, "DEVICE_DEREGISTERED", "device", "device deregistered on the server"},
	{CodeUserDeregistered, "USER_DEREGISTERED", "user", "user deregistered on the server"},
	{CodeCancelled, "ACTION_CANCELED", "sdk", "cancelled or denied"},
	{CodeActionInProgress, "ACTION_ALREADY_IN_PROGRESS", "sdk", "flow already in progress"},
	{CodeNotAuthenticated, "USER_NOT_AUTHENTICATED", "user", "no authenticated user"},
	{CodePinBlacklisted, "PIN_BLACKLISTED", "pin", "PIN too easy to guess"},
	{CodePinIsASequence, "PIN_IS_A_SEQUENCE", "pin", "PIN is a sequence of consecutive digits"},
	{CodePinSimilarDigits, "PIN_USES_SIMILAR_DIGITS", "pin", "PIN repeats one digit"},
	{CodePinWrongLength, "WRONG_PIN_LENGTH", "pin", "PIN of the wrong length"},
	{CodeDeviceAlreadyEnrolled, "DEVICE_ALREADY_ENROLLED", "mobileAuth", "device already enrolled"},
	{CodeEnrollmentNotAvailable, "ENROLLMENT_NOT_AVAILABLE", "mobileAuth", "enrollment disabled on the server"},
	{CodeEnrolledOnAnotherDevice, "ENROLLED_ON_ANOTHER_DEVICE", "mobileAuth", "single-device policy refuses a second device"},
	{CodeUserDisenrolled, "USER_DISENROLLED", "mobileAuth", "enrollment removed on the server"},
	{CodeNotEnrolled, "NOT_ENROLLED", "mobileAuth", "not enrolled for mobile authentication"},
	{CodeNotAuthenticatedImplicitly, "USER_NOT_AUTHENTICATED_IMPLICITLY", "user", "no implicitly authenticated user"},
	{CodeAlreadyHandled, "ALREADY_HANDLED", "mobileAuth", "request already handled"},
	{CodeRateLimited, "TOO_MANY_ATTEMPTS", "network", "rate limited by the server (project-specific code)"},
	{CodeGeneral, "GENERAL_ERROR", "sdk", "unexpected server answer"},
	{CodeDeviceNotAuthenticated, "DEVICE_NOT_AUTHENTICATED", "device", "device not authenticated for resources"},
	{CodeRequestNotFound, "REQUEST_NOT_FOUND", "mobileAuth", "request unknown or expired"},
	{CodeNotHandleable, "NOT_HANDLEABLE", "mobileAuth", "malformed OTP"},
	{CodeInvalidIdentityProvider, "INVALID_IDENTITY_PROVIDER", "user", "identity provider unknown to this application"},
	{CodeCustomRegistrationExpired, "CUSTOM_REGISTRATION_EXPIRED", "user", "custom registration unknown, used or expired"},
	{CodeCustomRegistrationFailure, "CUSTOM_REGISTRATION_FAILURE", "user", "custom registration refused by the identity provider"},
	{CodeSingleSignOnDisabled, "SINGLE_SIGN_ON_DISABLED", "user", "single sign-on not available for this target"},
	{CodeAuthenticatorDeregistered, "AUTHENTICATOR_DEREGISTERED", "authenticator", "biometric key invalid (biometrics changed); register again"},
	{CodeBiometricFailure, "BIOMETRIC_AUTHENTICATOR_FAILURE", "authenticator", "biometric prompt locked out or unavailable"},
	{CodeAuthenticatorNotSupported, "AUTHENTICATOR_NOT_SUPPORTED", "authenticator", "no such authenticator on this device"},
	{CodeAuthenticatorNotRegistered, "AUTHENTICATOR_NOT_REGISTERED", "authenticator", "authenticator not registered for the profile"},
}

var codeIndex = func() map[Code]*CodeInfo {
	m := make(map[Code]*CodeInfo, len(codeTable))
	for i := range codeTable {
		m[codeTable[i].Code] = &codeTable[i]
	}
	return m
}()

// CodeTable returns a copy of the whole code table, in numeric order of declaration.
func CodeTable() []CodeInfo { return append([]CodeInfo(nil), codeTable...) }

// Info returns the table entry for c, or the CodeInternal entry when c is unknown.
func (c Code) Info() CodeInfo {
	if i, ok := codeIndex[c]; ok {
		return *i
	}
	return *codeIndex[CodeInternal]
}

// Domain returns the error domain of c ("sdk", "network", "pin", "mobileAuth", ...).
func (c Code) Domain() string { return c.Info().Domain }
