// Package user implements the user side of the SDK core: registration through
// the browser (authorization code with PKCE: the registration event carries the
// URL, handleRegistrationCallback brings the redirect back) followed by PIN
// creation (open / pinNotAllowed / close events, the PIN policy checked locally
// first), PIN authentication (open / incorrectPin with the server's remaining
// failure count / close; the registration is removed locally when the server
// removed it), logout, deregistration, profiles, the access token and
// resourceRequest. Registration and PIN authentication share one flow slot, so
// a second one while one waits answers 9007.
package user
