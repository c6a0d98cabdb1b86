// Package auditwebhook delivers the Token Server's audit events to an
// operator's HTTPS endpoint (issue 16, DESIGN §15): each audit record
// (server/audit) is queued as a row of the store's audit_outbox when it is
// recorded, and a worker (server/outbox.Retrier, the callback worker's
// lease and back-off) POSTs it signed exactly like a relying-party callback
// (X-OMA-Event-Id, X-OMA-Timestamp, X-OMA-Key-Id, X-OMA-Signature v1 —
// outbox.Verify is the receiver's check), retrying until a 2xx or the retry
// budget ends. Rows not delivered when the server stops are sent after the
// next start. The signing key is the operator's (a key file) or generated
// and kept in the store, sealed under the master key when one is given.
package auditwebhook
