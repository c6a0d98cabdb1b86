// Package dispatch is the SDK core's single entry point: it parses JSON-RPC 2.0
// request envelopes (with gjson, no reflection on the request path), routes them
// through a method table that feature packages register into, and encodes exactly
// one response envelope per request. Errors are data: every failure is an *Error
// carrying a stable numeric Code from the table in codes.go. Events leave through
// the same sink as responses, as JSON-RPC notifications with method "event".
//
// Methods declared in core/api are registered through Typed: the params object
// is decoded into the method's params struct by its tags (DecodeParams; an
// unknown, missing or mistyped parameter answers 8009 naming it) before the
// handler runs. The request scanner (request.go) and the string escaper
// (envelope.go) are the SDK side's only hand-written JSON codecs; each is
// checked against its reference by a fuzz test and must stay measurably faster
// (TestFastPathsEarnTheirPlace, run by scripts/test-go.sh).
//
// Logging uses the zerolog logger given in Options (from core/redact, which redacts
// OTPs, PINs, tokens, keys and Authorization headers before anything is written).
package dispatch
