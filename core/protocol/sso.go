package protocol

// App-to-web single sign-on (issue 17; the Onegini SDK's
// getAppToWebSingleSignOn / startSingleSignOn). An app with an authenticated
// user (a PIN-login access token, DPoP-bound) asks for a one-time, short-lived
// sign-on URL for a target URI that the operator allow-listed for the app's
// application (exact match). Opened in a browser, the URL (on the Token
// Server, PathSSORedeem) spends the token once, starts the Token Server's
// browser login session for the user (the cookie the login page honours) and
// redirects to the target: the target is re-checked against the allow-list
// at that moment, and nothing else is ever redirected to.
const (
	PathSSO        = "/device/v1/sso" // POST SSORequest (DPoP + user access token) → SSOResponse
	PathSSORedeem  = "/oauth/sso"     // GET ?token=… in a browser → 302 to the target with the session cookie
	PathWebSession = "/oauth/session" // GET: the browser session's user (JSON); DELETE ends it
)

// ErrSSOTargetNotAllowed: the target URI is not one of the application's
// single sign-on targets (or the application has none). The SDK answers
// 10023 (the official SingleSignOnDisabled).
const ErrSSOTargetNotAllowed = "sso_target_not_allowed" // 403 → 10023

// MaxSSOTargetLen bounds a target URI (bytes).
const MaxSSOTargetLen = 2048

// SSORequest asks for a sign-on URL for TargetURI.
type SSORequest struct {
	TargetURI string `json:"target_uri"`
}

// SSOResponse is the one-time sign-on URL (PathSSORedeem with the token as
// its token query parameter), the token itself (the Onegini result carries
// both) and the seconds it stays valid.
type SSOResponse struct {
	URL       string `json:"url"`
	Token     string `json:"token"`
	ExpiresIn int    `json:"expires_in"`
}
