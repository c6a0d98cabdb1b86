package api

import "github.com/openmobileauth/oma/core/dispatch"

// Identity providers and custom registration (issue 17), as the official
// OneWelcome React Native SDK names them.

// Method names.
const (
	MethodGetIdentityProviders           = "getIdentityProviders"
	MethodSubmitCustomRegistrationAction = "submitCustomRegistrationAction"
	MethodCancelCustomRegistration       = "cancelCustomRegistration"
)

// The declarations.
var (
	GetIdentityProviders = declare[None, []IdentityProvider](MethodGetIdentityProviders,
		"Lists the identity providers of this app's application: the browser one and custom-registration ones (registerUser takes their id).",
		server(dispatch.CodeNotStarted)...)
	SubmitCustomRegistrationAction = declare[SubmitCustomRegistrationActionParams, None](MethodSubmitCustomRegistrationAction,
		"Answers a custom registration event: at initRegistration an optional token for the backend's init step, at finishRegistration the user's input (e.g. the code from a letter).",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
	CancelCustomRegistration = declare[CancelCustomRegistrationParams, None](MethodCancelCustomRegistration,
		"Cancels the custom registration waiting for an action; registerUser rejects with 9006.",
		dispatch.CodeNotStarted, dispatch.CodeNoFlowInProgress)
)

// IdentityProvider is an element of getIdentityProviders (Types.IdentityProvider).
type IdentityProvider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CustomInfo is what a custom identity provider's backend answered (Types.CustomInfo).
type CustomInfo struct {
	Status int    `json:"status" doc:"The backend's status code (2xxx success, 4xxx refusal by convention)."`
	Data   string `json:"data" doc:"The backend's data, e.g. a text to show."`
}

// SubmitCustomRegistrationActionParams are submitCustomRegistrationAction's parameters.
type SubmitCustomRegistrationActionParams struct {
	IdentityProviderID string  `json:"identityProviderId" oma:"nonempty" doc:"The identity provider of the event being answered."`
	Token              *string `json:"token,omitempty" doc:"The data for the backend (null: none); a secret such as a letter code is never logged."`
}

// CancelCustomRegistrationParams are cancelCustomRegistration's parameters.
type CancelCustomRegistrationParams struct {
	Message string `json:"message" doc:"Why (kept in the SDK's log only)."`
}

// Event and actions of custom registration.
const (
	EventCustomRegistration  = "ONEWELCOME_CUSTOM_REGISTRATION_NOTIFICATION"
	ActionInitRegistration   = "initRegistration"
	ActionFinishRegistration = "finishRegistration"
)

// CustomRegistrationInit asks the app for the init step's optional token
// (answer with submitCustomRegistrationAction(identityProviderId, token|null)).
type CustomRegistrationInit struct {
	Action             string      `json:"action" const:"initRegistration" tsenum:"CustomRegistration.InitRegistration"`
	IdentityProviderID string      `json:"identityProviderId"`
	CustomInfo         *CustomInfo `json:"customInfo,omitempty"`
}

// CustomRegistrationFinish asks the app for the user's input, showing the
// backend's customInfo from the init step.
type CustomRegistrationFinish struct {
	Action             string      `json:"action" const:"finishRegistration" tsenum:"CustomRegistration.FinishRegistration"`
	IdentityProviderID string      `json:"identityProviderId"`
	CustomInfo         *CustomInfo `json:"customInfo,omitempty"`
}

// The event declarations.
var (
	CustomRegistrationInitEvent = declareEvent[CustomRegistrationInit](EventCustomRegistration, ActionInitRegistration, "initRegistrationEvent",
		"A custom registration starts: answer with submitCustomRegistrationAction (a token or null) or cancelCustomRegistration.")
	CustomRegistrationFinishEvent = declareEvent[CustomRegistrationFinish](EventCustomRegistration, ActionFinishRegistration, "finishRegistrationEvent",
		"The backend's init answer (customInfo): answer with the user's input through submitCustomRegistrationAction, or cancelCustomRegistration.")
)
