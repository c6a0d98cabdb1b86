package api

// Event names (the "type" of an event envelope), as the Onegini RN SDK names them.
const (
	EventRegistration      = "ONEWELCOME_REGISTRATION_NOTIFICATION"
	EventPinCreate         = "ONEWELCOME_PIN_CREATE_NOTIFICATION"
	EventPinAuthentication = "ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION"
	EventMobileAuthOtp     = "ONEWELCOME_MOBILE_AUTH_OTP_NOTIFICATION"
)

// Events lists every event name.
var Events = []string{EventRegistration, EventPinCreate, EventPinAuthentication, EventMobileAuthOtp}

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

// RegistrationEvent is the payload of EventRegistration: open url in a browser.
type RegistrationEvent struct {
	URL string `json:"url"`
}

// PinCreateEvent is the payload of EventPinCreate.
type PinCreateEvent struct {
	Action    string `json:"action"` // open | close | pinNotAllowed
	Flow      string `json:"flow"`   // Create
	ProfileID string `json:"profileId"`
	PinLength int    `json:"pinLength"`
	ErrorCode int    `json:"errorCode,omitempty"`
	ErrorMsg  string `json:"errorMsg,omitempty"`
}

// PinAuthenticationEvent is the payload of EventPinAuthentication.
type PinAuthenticationEvent struct {
	Action                string `json:"action"` // open | close | incorrectPin
	Flow                  string `json:"flow"`   // Authentication
	ProfileID             string `json:"profileId"`
	RemainingFailureCount *int   `json:"remainingFailureCount,omitempty"`
}

// UserProfile identifies a profile on the device.
type UserProfile struct {
	ID string `json:"id"`
}

// MobileAuthenticationRequest is what the user is asked to confirm.
type MobileAuthenticationRequest struct {
	Message       string      `json:"message"`
	Type          string      `json:"type"`
	TransactionID string      `json:"transactionId"`
	UserProfile   UserProfile `json:"userProfile"`
}

// MobileAuthOtpEvent is the payload of EventMobileAuthOtp: startAuthentication
// carries the request; finishAuthentication carries nothing else.
type MobileAuthOtpEvent struct {
	Action                      string                       `json:"action"`
	MobileAuthenticationRequest *MobileAuthenticationRequest `json:"mobileAuthenticationRequest,omitempty"`
}
