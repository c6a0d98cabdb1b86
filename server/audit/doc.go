// Package audit names the Token Server's audit events and starts their
// records: structured log records carrying audit=true and event=<name>
// (never a password, PIN, OTP or token), at warn level for refusals (Warn)
// and info level for normal operation (Info), so a log pipeline can route
// them. A Record built through Start also hands the event to a Sink (the
// audit webhook's outbox, server/auditwebhook).
package audit
