// Package outbox delivers relying-party callbacks from the store's durable
// outbox table: rows are written in the same transaction as the answer they
// announce, and a Worker POSTs them with an HMAC-SHA256 signature, retrying
// with exponential back-off until a 2xx or the retry budget ends. Rows not yet
// delivered when the server stops are picked up again on the next start.
//
// Headers: X-OMA-Event-Id (the row id, the same on every retry),
// X-OMA-Timestamp (unix seconds), X-OMA-Key-Id and X-OMA-Signature:
// v1=<hex HMAC-SHA256(callback key, timestamp + "." + event id + "." + body)>,
// keyed with the API client's callback key (not its Basic-auth secret).
// Verify is the receiver's check. Each row is leased just before its own
// delivery, so two workers never send one row at once.
package outbox
