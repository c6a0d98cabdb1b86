package api

// Event names (the "type" of an event envelope), as the Onegini RN SDK names them.
const (
	EventRegistration      = "ONEWELCOME_REGISTRATION_NOTIFICATION"
	EventPinCreate         = "ONEWELCOME_PIN_CREATE_NOTIFICATION"
	EventPinAuthentication = "ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION"
	EventMobileAuthOtp     = "ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION"
)

// Events lists every event name.
var Events = []string{EventRegistration, EventPinCreate, EventPinAuthentication, EventMobileAuthOtp, EventCustomRegistration}

// EventUnions names, for each event name, the TypeScript type of its payload:
// the union of its actions' payload types (Onegini RN SDK names).
var EventUnions = map[string]string{
	EventRegistration:       "RegistrationURLEvent",
	EventPinCreate:          "PinCreateEvent",
	EventPinAuthentication:  "PinAuthenticationEvent",
	EventMobileAuthOtp:      "MobileAuthOtpEvent",
	EventCustomRegistration: "CustomRegistrationEvent",
}

// Event actions and flows (values of the payloads' "action" and "flow").
const (
	ActionOpen                 = "open"
	ActionClose                = "close"
	ActionPinNotAllowed        = "pinNotAllowed"
	ActionIncorrectPin         = "incorrectPin"
	ActionStartAuthentication  = "startAuthentication"
	ActionFinishAuthentication = "finishAuthentication"
	FlowCreate                 = "Create"
	FlowAuthentication         = "Authentication"
)

// UserProfile identifies a profile on the device.
type UserProfile struct {
	ID string `json:"id"`
}

// MobileAuthenticationRequest is what the user is asked to confirm.
type MobileAuthenticationRequest struct {
	Message       string      `json:"message" doc:"The text to show, e.g. \"Log in to Example Bank from Chrome on Linux\"."`
	Type          string      `json:"type" doc:"The request type configured on the server."`
	TransactionID string      `json:"transactionId" doc:"The server's transaction id."`
	SigningData   string      `json:"signingData" doc:"The exact text the accept signs (its SHA-256 is in the signed answer): the message, as the official SDK's signingData."`
	UserProfile   UserProfile `json:"userProfile" ts:"optional" doc:"The profile that answers."`
	// DESIGN §13 (absent for requests without them).
	Details          []TransactionDetail `json:"details,omitempty" doc:"Label/value pairs to show under the message (the answer signs exactly these)."`
	MatchCandidates  []string            `json:"matchCandidates,omitempty" doc:"Number matching: show these numbers; the user picks the one the relying party's page shows and the accept passes it (acceptMobileAuthConfirmation({matchCode}))."`
	UserVerification string              `json:"userVerification,omitempty" enum:"required" doc:"required: accepting asks for user verification: the PIN (ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION open, answered with submitPin) or, when the fingerprint authenticator is registered and preferred, the biometric (ONEWELCOME_FINGERPRINT_NOTIFICATION startAuthentication, answered with submitFingerprintAcceptAuthenticationRequest, ...Deny... or ...FallbackToPin)."`
}

// TransactionDetail is one label/value pair of a request's details.
type TransactionDetail struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// The payloads, one struct per event action. Fields tagged const always carry
// that value (EventDecl.Emit sets them).

// RegistrationURL is the payload of EventRegistration: open url in a browser.
type RegistrationURL struct {
	URL string `json:"url" doc:"The URL to open in a browser."`
}

// PinCreateOpen asks the app to show the PIN creation screen.
type PinCreateOpen struct {
	Action    string `json:"action" const:"open" tsenum:"PinCreate.Open"`
	Flow      string `json:"flow" const:"Create" tsenum:"PinFlow.Create"`
	ProfileID string `json:"profileId" doc:"Empty: the profile does not exist yet."`
	PinLength int    `json:"pinLength" doc:"The number of digits the PIN must have."`
}

// PinCreateClose asks the app to close the PIN creation screen.
type PinCreateClose struct {
	Action    string `json:"action" const:"close" tsenum:"PinCreate.Close"`
	Flow      string `json:"flow" const:"Create" tsenum:"PinFlow.Create"`
	ProfileID string `json:"profileId" ts:"optional" doc:"The new profile, or empty when the registration failed or was cancelled."`
	PinLength int    `json:"pinLength" ts:"optional"`
}

// PinNotAllowed tells that the submitted PIN breaks the PIN policy; ask again.
type PinNotAllowed struct {
	Action    string `json:"action" const:"pinNotAllowed" tsenum:"PinCreate.PinNotAllowed"`
	Flow      string `json:"flow" const:"Create" tsenum:"PinFlow.Create"`
	ProfileID string `json:"profileId" ts:"optional"`
	PinLength int    `json:"pinLength" ts:"optional"`
	ErrorCode int    `json:"errorCode" doc:"Why, as a code: 9011 blacklisted, 9012 a sequence, 9013 similar digits, 9014 wrong length, 8015 (PIN_NOT_ALLOWED) not digits or refused by the server."`
	ErrorMsg  string `json:"errorMsg" doc:"Why the PIN is not allowed."`
}

// PinAuthOpen asks the app to show the PIN entry screen.
type PinAuthOpen struct {
	Action    string `json:"action" const:"open" tsenum:"PinAuthentication.Open"`
	Flow      string `json:"flow" const:"Authentication" tsenum:"PinFlow.Authentication"`
	ProfileID string `json:"profileId"`
}

// PinAuthClose asks the app to close the PIN entry screen.
type PinAuthClose struct {
	Action    string `json:"action" const:"close" tsenum:"PinAuthentication.Close"`
	Flow      string `json:"flow" const:"Authentication" tsenum:"PinFlow.Authentication"`
	ProfileID string `json:"profileId" ts:"optional"`
}

// IncorrectPin tells that the PIN was wrong; ask again.
type IncorrectPin struct {
	Action                string `json:"action" const:"incorrectPin" tsenum:"PinAuthentication.IncorrectPin"`
	Flow                  string `json:"flow" const:"Authentication" tsenum:"PinFlow.Authentication"`
	ProfileID             string `json:"profileId" ts:"optional"`
	RemainingFailureCount int    `json:"remainingFailureCount" doc:"Wrong PINs the server still accepts before it removes the registration."`
	ErrorCode             int    `json:"errorCode" doc:"8004 (WRONG_PIN, the official SDKError.WrongPin)."`
	ErrorMsg              string `json:"errorMsg" doc:"Says the PIN was wrong and how many attempts are left."`
}

// MobileAuthStart asks the user to accept or deny a mobile authentication.
type MobileAuthStart struct {
	Action                      string                      `json:"action" const:"startAuthentication" tsenum:"MobileAuthOtp.StartAuthentication"`
	MobileAuthenticationRequest MobileAuthenticationRequest `json:"mobileAuthenticationRequest"`
}

// MobileAuthFinish tells that the mobile authentication flow ended.
type MobileAuthFinish struct {
	Action                      string                      `json:"action" const:"finishAuthentication" tsenum:"MobileAuthOtp.FinishAuthentication"`
	MobileAuthenticationRequest MobileAuthenticationRequest `json:"mobileAuthenticationRequest" doc:"The request the flow was about (as in startAuthentication)."`
}

// The event declarations (cmd/contractgen generates the TypeScript payload
// types and validators from them; names follow the Onegini RN SDK's types).
var (
	RegistrationURLEvent = declareEvent[RegistrationURL](EventRegistration, "", "RegistrationURLEvent",
		"The registration URL to open in a browser; answer with handleRegistrationCallback.")
	PinCreateOpenEvent = declareEvent[PinCreateOpen](EventPinCreate, ActionOpen, "PinCreateOpenEvent",
		"Show the PIN creation screen; answer with submitPin(PinFlow.Create, pin).")
	PinCreateCloseEvent = declareEvent[PinCreateClose](EventPinCreate, ActionClose, "PinCreateCloseEvent",
		"Close the PIN creation screen (done, cancelled or failed).")
	PinNotAllowedEvent = declareEvent[PinNotAllowed](EventPinCreate, ActionPinNotAllowed, "PinNotAllowedEvent",
		"The PIN breaks the policy; ask again.")
	PinAuthOpenEvent = declareEvent[PinAuthOpen](EventPinAuthentication, ActionOpen, "PinAuthenticationOpenEvent",
		"Show the PIN entry screen; answer with submitPin(PinFlow.Authentication, pin).")
	PinAuthCloseEvent = declareEvent[PinAuthClose](EventPinAuthentication, ActionClose, "PinAuthenticationCloseEvent",
		"Close the PIN entry screen.")
	IncorrectPinEvent = declareEvent[IncorrectPin](EventPinAuthentication, ActionIncorrectPin, "IncorrectPinEvent",
		"The PIN was wrong; ask again.")
	MobileAuthStartEvent = declareEvent[MobileAuthStart](EventMobileAuthOtp, ActionStartAuthentication, "StartOtpAuthenticationEvent",
		"Show the request; answer with acceptMobileAuthConfirmation or denyMobileAuthConfirmation.")
	MobileAuthFinishEvent = declareEvent[MobileAuthFinish](EventMobileAuthOtp, ActionFinishAuthentication, "FinishOtpAuthenticationEvent",
		"The mobile authentication flow ended: close the confirmation screen.")
)

// The structs below are decoding views for clients of the core (cmd/phone): one
// struct per event name holding the fields of all its actions.

// RegistrationEvent is the payload of EventRegistration.
type RegistrationEvent = RegistrationURL

// PinCreateEvent holds any EventPinCreate payload.
type PinCreateEvent struct {
	Action    string `json:"action"` // open | close | pinNotAllowed
	Flow      string `json:"flow"`   // Create
	ProfileID string `json:"profileId"`
	PinLength int    `json:"pinLength"`
	ErrorCode int    `json:"errorCode,omitempty"`
	ErrorMsg  string `json:"errorMsg,omitempty"`
}

// PinAuthenticationEvent holds any EventPinAuthentication payload.
type PinAuthenticationEvent struct {
	Action                string `json:"action"` // open | close | incorrectPin
	Flow                  string `json:"flow"`   // Authentication
	ProfileID             string `json:"profileId"`
	RemainingFailureCount *int   `json:"remainingFailureCount,omitempty"`
}

// MobileAuthOtpEvent holds any EventMobileAuthOtp payload.
type MobileAuthOtpEvent struct {
	Action                      string                       `json:"action"`
	MobileAuthenticationRequest *MobileAuthenticationRequest `json:"mobileAuthenticationRequest,omitempty"`
}
