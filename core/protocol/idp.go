package protocol

// Identity providers and custom registration (DESIGN §10, issue 17). An
// application's identity providers are the built-in browser one (the login
// page, PathAuthorize) and custom-registration ones whose two-step exchange
// the server delegates to the operator's backend over a signed webhook. A
// completed custom registration answers an authorization code bound to the
// client, its redirect URI and the PKCE challenge given at init; the app
// redeems it at PathToken with the new PIN exactly as after the browser.
const (
	PathIdentityProviders          = "/device/v1/identity-providers"           // GET (DPoP) → IdentityProvidersResponse
	PathCustomRegistrationInit     = "/device/v1/registration/custom/init"     // POST CustomRegistrationInitRequest → CustomRegistrationInitResponse
	PathCustomRegistrationComplete = "/device/v1/registration/custom/complete" // POST CustomRegistrationCompleteRequest → CustomRegistrationCompleteResponse
)

// Identity provider types.
const (
	IdPTypeBrowser = "browser"
	IdPTypeCustom  = "custom"
)

// BrowserIdPID is the id of the built-in browser identity provider listed
// for an application that configures no browser identity provider itself.
const BrowserIdPID = "browser"

// Custom registration errors (device API).
const (
	ErrInvalidIdentityProvider = "invalid_identity_provider"   // 400 → 10020 (unknown, or not of the client's application)
	ErrCustomRegExpired        = "custom_registration_expired" // 400 → 10021 (unknown, used or expired session)
	ErrCustomRegFailed         = "custom_registration_failed"  // 403 → 10022 (refused by the backend, or its answer not trusted)
)

// IdentityProvider is one entry of IdentityProvidersResponse.
type IdentityProvider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"` // IdPTypeBrowser or IdPTypeCustom
}

// IdentityProvidersResponse lists the identity providers of the caller's
// application.
type IdentityProvidersResponse struct {
	IdentityProviders []IdentityProvider `json:"identity_providers"`
}

// CustomRegistrationInitRequest starts a custom registration. Data is what
// the app submitted at the init step (optional).
type CustomRegistrationInitRequest struct {
	IdentityProviderID string  `json:"identity_provider_id"`
	Scope              string  `json:"scope"`
	CodeChallenge      string  `json:"code_challenge"` // S256 PKCE challenge
	Data               *string `json:"data,omitempty"`
}

// CustomRegistrationInitResponse carries the session to complete and what
// the backend wants shown (Onegini CustomInfo: status and data).
type CustomRegistrationInitResponse struct {
	Session   string `json:"session"`
	Status    int    `json:"status"`
	Data      string `json:"data"`
	ExpiresIn int    `json:"expires_in"`
}

// CustomRegistrationCompleteRequest completes a session with the user's input.
type CustomRegistrationCompleteRequest struct {
	Session string `json:"session"`
	Data    string `json:"data"`
}

// CustomRegistrationCompleteResponse carries the authorization code to
// redeem at PathToken (redirect_uri = the client's) and the backend's info.
type CustomRegistrationCompleteResponse struct {
	Code   string `json:"code"`
	Status int    `json:"status"`
	Data   string `json:"data"`
}
