// Package dispatch is the SDK core's single entry point: it parses JSON-RPC 2.0
// request envelopes (with gjson, no reflection on the request path), routes them
// through a method table that feature packages register into, and encodes exactly
// one response envelope per request. Errors are data: every failure is an *Error
// carrying a stable numeric Code from the table in codes.go. Events leave through
// the same sink as responses, as JSON-RPC notifications with method "event".
//
// Logging uses the zerolog logger given in Options (from core/redact, which redacts
// OTPs, PINs, tokens, keys and Authorization headers before anything is written).
package dispatch
