// Package protocol is the device protocol between the SDK core and the Token
// Server: endpoint paths, request and response bodies, the error vocabulary (its
// HTTP statuses; the SDK codes live in core/client), and the cryptographic formats both sides must
// agree on byte for byte — DPoP-style proofs of possession (RFC 9449 shape),
// the OTP format, and the canonical payload a device signs when it answers a
// mobile authentication. The server and the SDK core both import it, so the
// formats cannot drift. It imports nothing from server/ and nothing of the SDK
// (core/dispatch, core/client, ...): TestNoSDKImports checks it.
//
// The flow, in short (all bodies JSON, all device requests after client
// registration carry a DPoP header signed by the client key, "kid" = client id):
//
//  1. POST /device/v1/clients — register the app instance with its P-256 client
//     key (the DPoP header carries the key as "jwk": proof of possession), for
//     an application the operator configured (app_id, one of its redirect URIs
//     exactly, its platform and version when listed: DESIGN §10).
//  2. User registration: the browser opens /oauth/authorize (authorization code
//     with PKCE, built-in login page), is redirected to the app's redirect URI
//     with ?code&state; the SDK asks for a new PIN and calls POST
//     /device/v1/token {grant_type: authorization_code, code, code_verifier,
//     redirect_uri, pin} and gets DPoP-bound tokens and a profile id.
//  3. PIN authentication: POST /device/v1/token {grant_type: pin, profile_id,
//     pin}; a wrong PIN answers invalid_pin with remaining_attempts; the last
//     failure removes the registration (user_deregistered).
//  4. POST /device/v1/mobile-auth/enroll {csr} with the access token: a PKCS#10
//     CSR signed by a new P-256 key; the answer has an X.509 certificate.
//  5. Mobile authentication, exactly two round trips: POST
//     /device/v1/mobile-auth/claim {otp, profile_id} returns the transaction
//     (message, nonce); POST /device/v1/mobile-auth/answer carries a signature by
//     the enrollment key over AnswerPayload.
package protocol
