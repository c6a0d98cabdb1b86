// Package outbox delivers relying-party callbacks from the store's durable
// outbox table: rows are written in the same transaction as the answer they
// announce, and a Worker POSTs them with an HMAC-SHA256 signature, retrying
// with exponential back-off until a 2xx or the retry budget ends. Rows not yet
// delivered when the server stops are picked up again on the next start.
//
// Signature: X-OMA-Timestamp: <unix seconds> and
// X-OMA-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>,
// keyed with the API client's secret. VerifySignature is the receiver's check.
package outbox
