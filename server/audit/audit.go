package audit

import "github.com/rs/zerolog"

// Audit events: failed logins and wrong PINs are recorded with the peer's IP
// and the user (never the password or PIN) as structured records carrying
// the field audit=true and event=<name>, so a log pipeline can route them
// (issue 11, item 11).
const (
	LoginFailed   = "login_failed"
	PinFailed     = "pin_failed"
	LoginLimited  = "login_rate_limited"
	RefreshReused = "refresh_token_reused"
	// Biometric authenticators (issue 15): a refused biometric login
	// (bad signature, unknown or used challenge, no authenticator), a rate
	// limited one, and a refused change of PIN.
	BiometricFailed  = "biometric_failed"
	BiometricLimited = "biometric_rate_limited"
	// App-to-web single sign-on (issue 17): a refused issue or redemption.
	SSORefused = "sso_refused"
)

// Audit events of normal operation (info level): successful logins with the
// IP, enrollments, answers with the decision, deregistrations (issue 16).
const (
	LoginSucceeded = "login_succeeded"
	Enrolled       = "enrolled"
	Answered       = "answered"
	Deregistered   = "deregistered"
	// App-to-web single sign-on (issue 17): a sign-on URL issued, and
	// redeemed (a browser session started).
	SSOIssued   = "sso_issued"
	SSORedeemed = "sso_redeemed"
)

// Audit events of anti-fatigue (DESIGN §13): a "this wasn't me" answer, a
// wrong number pick, and a user's suspension starting or being lifted.
const (
	NotMe           = "user_reported_not_me"
	WrongMatch      = "wrong_match"
	UserSuspended   = "user_suspended"
	UserUnsuspended = "user_unsuspended"
)

// Info starts an audit record of normal operation at info level.
func Info(log *zerolog.Logger, event string) *zerolog.Event {
	return log.Info().Bool("audit", true).Str("event", event)
}

// Warn starts an audit record for event at warn level.
func Warn(log *zerolog.Logger, event string) *zerolog.Event {
	return log.Warn().Bool("audit", true).Str("event", event)
}
