// Package oauth is the built-in identity provider: GET /oauth/authorize shows
// a login page for an authorization-code-with-PKCE request of a registered app
// instance; POSTing username and password (form) to the same URL answers
// 302 to the app's redirect URI with ?code&state. The code is redeemed at the
// device token endpoint (package device).
package oauth
