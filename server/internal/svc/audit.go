package svc

import "github.com/rs/zerolog"

// Audit events: failed logins and wrong PINs are recorded with the peer's IP
// and the user (never the password or PIN) as structured records carrying
// the field audit=true and event=<name>, so a log pipeline can route them
// (issue 11, item 11).
const (
	AuditLoginFailed   = "login_failed"
	AuditPinFailed     = "pin_failed"
	AuditLoginLimited  = "login_rate_limited"
	AuditRefreshReused = "refresh_token_reused"
	// Biometric authenticators (issue 15): a refused biometric login
	// (bad signature, unknown or used challenge, no authenticator), a rate
	// limited one, and a refused change of PIN.
	AuditBiometricFailed  = "biometric_failed"
	AuditBiometricLimited = "biometric_rate_limited"
)

// Audit events of normal operation (info level): successful logins with the
// IP, enrollments, answers with the decision, deregistrations (issue 16).
const (
	AuditLoginSucceeded = "login_succeeded"
	AuditEnrolled       = "enrolled"
	AuditAnswered       = "answered"
	AuditDeregistered   = "deregistered"
)

// AuditInfo starts an audit record of normal operation at info level.
func (e *Env) AuditInfo(event string) *zerolog.Event {
	return e.Log.Info().Bool("audit", true).Str("event", event)
}

// Audit starts an audit record for event at warn level.
func (e *Env) Audit(event string) *zerolog.Event {
	return e.Log.Warn().Bool("audit", true).Str("event", event)
}
