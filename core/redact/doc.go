// Package redact is the one redacting logger of the SDK core and the Token
// Server: NewLogger returns a zerolog logger whose JSON lines have OTPs, PINs,
// tokens, keys, secrets and Authorization/DPoP headers replaced by Redacted
// before they reach the writer, and RedactText/RedactJSON clean free text and
// JSON documents. It imports nothing of the SDK or the server, so both sides use
// it without depending on each other.
package redact
