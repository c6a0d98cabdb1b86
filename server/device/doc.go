// Package device serves the device API of core/protocol: client registration,
// the token endpoint (authorization code + PKCE with the new PIN, PIN grant
// with a durable failure counter, refresh), logout, deregistration, userinfo,
// mobile-auth enrollment by CSR, OTP claim and the signed answer. Every request
// after client registration is authenticated by a DPoP-style proof signed by
// the client key (kid = client id); a proof's jti is recorded in the store's
// replay cache in the same transaction as the request's effect.
package device
