package deps

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/ca"
	"github.com/openmobileauth/oma/server/enrollpolicy"
	"github.com/openmobileauth/oma/server/metrics"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/txcache"
	"github.com/openmobileauth/oma/server/wakeup"
)

// Limiters are the rate limiters of one server instance.
type Limiters struct {
	ClaimPerClient     *ratelimit.Limiter
	ClaimPerIP         *ratelimit.Limiter
	PinPerProfile      *ratelimit.Limiter
	LoginPerUser       *ratelimit.Limiter
	LoginPerIP         *ratelimit.Limiter
	CreatePerAPIClient *ratelimit.Limiter
	// Failed relying-party Basic authentications, per API client id and per
	// peer IP: while either is exhausted every attempt is refused (429).
	APIAuthFailPerClient *ratelimit.Limiter
	APIAuthFailPerIP     *ratelimit.Limiter
	PushPollPerClient    *ratelimit.Limiter // pending lists, fetches and push registrations per app instance
	RegisterPerIP        *ratelimit.Limiter
	BiometricPerProfile  *ratelimit.Limiter // biometric challenges and logins per profile (issue 15)
	SSOPerProfile        *ratelimit.Limiter // app-to-web single sign-on URLs issued per profile (issue 17)
}

// Env is what every HTTP package of the server shares.
type Env struct {
	Store   store.Store
	Clock   Clock // expiries
	Wall    Clock // freshness of device-signed times
	Log     zerolog.Logger
	BaseURL string // public base URL, no trailing slash (htu and links)
	Hub     *wakeup.Hub
	CA      *ca.Authority
	Argon   secrethash.Params
	// Hashes runs every argon2 computation of the request paths with a bound
	// on how many run at once.
	Hashes         *secrethash.Gate
	PinLength      int
	PinMaxAttempts int
	AccessTTL      time.Duration
	RefreshTTL     time.Duration
	CodeTTL        time.Duration
	// SSOTTL is how long an app-to-web sign-on URL stays valid;
	// WebSessionTTL how long the browser session it starts lasts.
	SSOTTL        time.Duration
	WebSessionTTL time.Duration
	MaxMessageLen int
	// Scopes are the scopes a client may request at the authorization
	// endpoint (anything else is refused with invalid_scope).
	Scopes []string
	// ImplicitScopes and DeviceScopes are the only scopes the implicit and
	// client-credentials grants issue (default "read").
	ImplicitScopes []string
	DeviceScopes   []string
	EnrollDisabled bool
	DefaultPolicy  string
	Limits         Limiters
	LoginKey       []byte // MAC key of the login form's CSRF token
	// Keys opens the callback and webhook keys sealed under the master key.
	Keys *atrest.Keys
	// AllowPrivateEgress: callback URIs and webhooks may name internal
	// addresses (server/egress); off, a literal one is refused at creation.
	AllowPrivateEgress bool
	// IdPClient calls custom-registration webhooks through the egress guard.
	IdPClient  *http.Client
	WakeOutbox func()
	// Stopping is closed when the server begins a graceful shutdown: long
	// polls and event streams answer at once instead of holding it up.
	Stopping <-chan struct{}
	// TxCache holds the immutable facts of recent transactions and this
	// instance's own claims and answers (nil: no cache, every request reads
	// the store).
	TxCache *txcache.Cache
	// Push is push mobile authentication's part (DESIGN §12).
	Push PushEnv
	// SuspendFor is how long a "this wasn't me" answer (or MatchFailureLimit
	// wrong number picks in a row) suspends the user's user-bound requests
	// (DESIGN §13).
	SuspendFor        time.Duration
	MatchFailureLimit int
	// ConfigEpoch is bumped by in-process admin changes (API clients, OTP
	// types): caches of those rows drop entries from an older epoch.
	ConfigEpoch atomic.Int64
	// AuditSink also receives every audit record (the audit webhook's
	// outbox, server/auditwebhook); nil: the log only.
	AuditSink audit.Sink
	// Metrics records Prometheus metrics (nil-safe: nil records nothing).
	// A push sender reports each send with Metrics.PushSent(provider, result).
	Metrics *metrics.Metrics
}

// NowMs is Clock's time in unix milliseconds.
func (e *Env) NowMs() int64 { return e.Clock.Now().UnixMilli() }

// Policy returns the configured re-enrollment policy.
func (e *Env) Policy(ctx context.Context, tx store.Tx) (string, error) {
	return enrollpolicy.Current(ctx, tx, e.DefaultPolicy)
}

// AuditInfo starts an audit record of normal operation at info level.
func (e *Env) AuditInfo(event string) *audit.Record {
	return audit.Start(audit.Info(&e.Log, event), "info", event, e.AuditSink)
}

// Audit starts an audit record for event at warn level.
func (e *Env) Audit(event string) *audit.Record {
	return audit.Start(audit.Warn(&e.Log, event), "warn", event, e.AuditSink)
}
