// Package idp is the signed webhook between the Token Server and an
// operator's custom-registration backend (issue 17; server/README.md
// "Identity providers").
//
// A custom identity provider delegates the two steps of a registration
// (init, then complete with the user's input, e.g. the code from a letter)
// to the operator's backend. Every request the server sends carries
//
//	X-OMA-Timestamp:  unix seconds
//	X-OMA-Request-Id: a random id, unique per request
//	X-OMA-IdP:        the identity provider's id
//	X-OMA-Signature:  v1=<hex HMAC-SHA256(key, timestamp "." request id "." body)>
//
// keyed with the identity provider's webhook key. The backend checks the
// signature, that the timestamp is within its replay window and that it has
// not seen the request id before (VerifyRequest does the first two; the
// caller keeps the ids). Its answer is signed the same way over
// "response." timestamp "." request id "." body with its own timestamp, so
// an answer is bound to the request it answers: an answer captured from one
// request is refused for any other, as is an unsigned, forged or stale one.
package idp
