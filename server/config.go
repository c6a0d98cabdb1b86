package server

import (
	"io"
	"net/http"
	"net/netip"
	"time"

	"github.com/openmobileauth/oma/server/deps"
	"github.com/openmobileauth/oma/server/egress"
	"github.com/openmobileauth/oma/server/enrollpolicy"
	"github.com/openmobileauth/oma/server/oauthscope"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/secrethash"
)

// Clock tells the time used for expiries (OTPs, codes, tokens). Tests pass a
// controllable clock; freshness of device-signed times uses the real clock.
type Clock interface{ Now() time.Time }

// Argon2Params are the argon2id costs for PINs and passwords.
type Argon2Params = secrethash.Params

// DefaultArgon2 is the production default; CheapArgon2 is for tests.
var (
	DefaultArgon2 = secrethash.DefaultParams
	CheapArgon2   = secrethash.CheapParams
)

// Re-enrollment policies.
const (
	PolicySingle   = enrollpolicy.Single
	PolicyOverride = enrollpolicy.Override
	PolicyMultiple = enrollpolicy.Multiple
)

// Limits are the rate limits of one server instance. A zero Limit takes the
// default; a negative Rate disables that limit.
type Limits struct {
	ClaimPerClient     ratelimit.Limit // OTP claims per app instance
	ClaimPerIP         ratelimit.Limit // OTP claims per peer IP
	PinPerProfile      ratelimit.Limit // PIN attempts per profile (besides the durable counter)
	LoginPerUser       ratelimit.Limit // login form posts per user name
	LoginPerIP         ratelimit.Limit // login form posts per peer IP, across user names (password spraying)
	CreatePerAPIClient ratelimit.Limit // authentication requests per API client
	// Failed relying-party API authentications (wrong secret, unknown
	// client) per client id and per peer IP; once exhausted, every attempt
	// is refused with 429 until the bucket refills.
	APIAuthFailPerClient ratelimit.Limit
	APIAuthFailPerIP     ratelimit.Limit
	PushPollPerClient    ratelimit.Limit // push pending lists, fetches and registrations per app instance
	RegisterPerIP        ratelimit.Limit // client registrations per peer IP (DESIGN §10)
	BiometricPerProfile  ratelimit.Limit // biometric challenges, logins and biometric-verified answers per profile (issue 15)
	SSOPerProfile        ratelimit.Limit // app-to-web sign-on URLs issued per profile (issue 17)
}

// DefaultLimits are used for zero fields of Config.Limits.
var DefaultLimits = Limits{
	ClaimPerClient:       ratelimit.Limit{Rate: 1, Burst: 20},
	ClaimPerIP:           ratelimit.Limit{Rate: 20, Burst: 200},
	PinPerProfile:        ratelimit.Limit{Rate: 0.2, Burst: 5},
	LoginPerUser:         ratelimit.Limit{Rate: 0.2, Burst: 10},
	LoginPerIP:           ratelimit.Limit{Rate: 0.5, Burst: 20},
	CreatePerAPIClient:   ratelimit.Limit{Rate: 200, Burst: 400},
	APIAuthFailPerClient: ratelimit.Limit{Rate: 0.2, Burst: 10},
	APIAuthFailPerIP:     ratelimit.Limit{Rate: 0.5, Burst: 20},
	PushPollPerClient:    ratelimit.Limit{Rate: 0.5, Burst: 10},
	RegisterPerIP:        ratelimit.Limit{Rate: 0.5, Burst: 30},
	BiometricPerProfile:  ratelimit.Limit{Rate: 0.2, Burst: 10},
	SSOPerProfile:        ratelimit.Limit{Rate: 0.2, Burst: 10},
}

// Config configures a Server. Zero fields take the documented defaults.
type Config struct {
	ListenAddr    string // default 127.0.0.1:8080
	PublicBaseURL string // default http://<ListenAddr>; proofs' htu are checked against it
	StoreURL      string // sqlite:PATH | sqlite::memory: | postgres://... (default sqlite:./oma-data/oma.db)
	TLSCertFile   string // optional; with TLSKeyFile serve HTTPS
	TLSKeyFile    string
	// AdminListenAddr is the admin listener (/metrics, /healthz/*): keep it
	// on loopback or a private network. Empty: no admin listener (the
	// tokenserver command defaults to 127.0.0.1:9090).
	AdminListenAddr string
	// AdminListenOptional makes a failure to bind AdminListenAddr a
	// warning instead of an error (the command's default address, which
	// another process may hold).
	AdminListenOptional bool

	LogLevel  string    // debug, info (default), warn, error
	LogOutput io.Writer // default os.Stderr; always redacted (core/redact.NewLogger)

	Clock Clock // default the system clock
	// WallClock checks the freshness of device-signed times (proof iat,
	// answer time) and ages the proof replay cache; default the system
	// clock (devices sign with real clocks). Tests move it.
	WallClock Clock

	Policy         string // re-enrollment policy until one is stored (default single)
	PinLength      int    // default 5
	PinMaxAttempts int    // default 3
	Argon2         Argon2Params
	// HashConcurrency bounds concurrent argon2 computations (PIN and password
	// checks, new PIN hashes); a request finding all slots taken is refused
	// at once with 503 (default secrethash.DefaultConcurrency = 8).
	HashConcurrency int
	// MasterKey is the 32-byte key-encryption key of the enrollment CA's
	// private key (AES-256-GCM at rest). Nil: a store whose CA key is
	// encrypted refuses to start; otherwise the key stays unencrypted and a
	// warning is logged. See ParseMasterKey.
	MasterKey       []byte
	AccessTokenTTL  time.Duration // default 1h
	RefreshTokenTTL time.Duration // default 30 days
	AuthCodeTTL     time.Duration // default 2 minutes
	// SSOTokenTTL: how long an app-to-web sign-on URL stays valid (default
	// 60 s); WebSessionTTL: the browser login session it starts (default 1 h).
	SSOTokenTTL   time.Duration
	WebSessionTTL time.Duration
	MaxMessageLen int // default 155 (per API client override possible)
	// Scopes a client may request (default "openid profile"); the user-info
	// endpoint needs "openid".
	Scopes []string
	// ImplicitScopes: the scopes an implicit (PIN-less) user token may carry;
	// DeviceScopes: those of a device (client-credentials) token. Default
	// "read" each; the user scopes above are never issued by those grants.
	ImplicitScopes     []string
	DeviceScopes       []string
	EnrollmentDisabled bool
	HistoryRetention   time.Duration // finished transactions and callbacks are kept this long (default 7 days)

	Limits Limits
	// TrustedProxies are the reverse proxies (CIDRs) whose X-Forwarded-For
	// is believed: the client IP is the right-most address of that header
	// that is not a trusted proxy. Empty: the header is ignored and the
	// client IP is the TCP peer.
	TrustedProxies []netip.Prefix
	// LocalRateLimits keeps rate-limit buckets in each instance's memory on
	// PostgreSQL too (by default they are shared through the store, so
	// several instances hold one budget).
	LocalRateLimits bool
	Callbacks       outbox.Config

	// Push mobile authentication (DESIGN §12): the senders (default none:
	// devices pull), the outbox, and the push-bombing limits.
	Push             push.Config
	PushOutbox       push.OutboxConfig
	PushMaxPending   int           // open push requests per user (default 1; one more is refused)
	PushBackoff      time.Duration // back-off base on repeated creation per user (default 2s; negative: none)
	PushBackoffMax   time.Duration // default 5m
	PushBackoffReset time.Duration // a quiet gap that ends a streak (default 10m)
	CallbackClient   *http.Client  // default: the egress guard's client (timeouts from Callbacks.Timeout, no redirects)

	// AllowPrivateEgress lets relying-party callbacks, custom-registration
	// webhooks and the audit webhook reach loopback, private, link-local and
	// other internal addresses (server/egress). Off, those are refused when
	// a request is created (literal addresses) and at dial time (every
	// resolved address). Web Push endpoints keep their own switch
	// (WebPushConfig.AllowPrivateEndpoints): they come from devices.
	AllowPrivateEgress bool
	// EgressResolver looks up the host names of callbacks, webhooks and push
	// endpoints (nil: the system resolver; tests give a fixed table).
	EgressResolver egress.Resolver

	// The audit webhook (issue 16; server/auditwebhook): every audit record
	// is also queued in the store and POSTed to AuditWebhookURL, signed
	// like a callback with AuditWebhookKey (empty: a key generated once and
	// kept in the store, sealed under MasterKey; tokenserver audit-webhook
	// key prints it). An empty URL: the log only. AuditWebhook tunes the
	// retries (the callback defaults).
	AuditWebhookURL    string
	AuditWebhookKey    string
	AuditWebhook       outbox.Config
	AuditWebhookClient *http.Client // default: no redirects, AuditWebhook.Timeout

	// Anti-fatigue (DESIGN §13): how long a "this wasn't me" answer
	// suspends the user's user-bound requests (default 1h; the operator
	// lifts it earlier with tokenserver user unsuspend), and how many wrong
	// number picks in a row start the same suspension (default 3).
	NotMeSuspension   time.Duration
	MatchFailureLimit int

	ReadHeaderTimeout time.Duration // default 10s
	ReadTimeout       time.Duration // default 30s
	WriteTimeout      time.Duration // default 60s (long polls wait up to 30s)
	IdleTimeout       time.Duration // default 120s
	ShutdownTimeout   time.Duration // default 15s
}

func limitOr(l, d ratelimit.Limit) ratelimit.Limit {
	if l.Rate == 0 && l.Burst == 0 {
		return d
	}
	return l
}

func (c *Config) defaults() {
	if c.ListenAddr == "" {
		c.ListenAddr = "127.0.0.1:8080"
	}
	if c.PublicBaseURL == "" {
		scheme := "http"
		if c.TLSCertFile != "" {
			scheme = "https"
		}
		c.PublicBaseURL = scheme + "://" + c.ListenAddr
	}
	for len(c.PublicBaseURL) > 0 && c.PublicBaseURL[len(c.PublicBaseURL)-1] == '/' {
		c.PublicBaseURL = c.PublicBaseURL[:len(c.PublicBaseURL)-1]
	}
	if c.StoreURL == "" {
		c.StoreURL = "sqlite:./oma-data/oma.db"
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.Clock == nil {
		c.Clock = deps.SystemClock{}
	}
	if c.WallClock == nil {
		c.WallClock = deps.SystemClock{}
	}
	if c.Policy == "" {
		c.Policy = PolicySingle
	}
	if c.PinLength == 0 {
		c.PinLength = 5
	}
	if c.PinMaxAttempts == 0 {
		c.PinMaxAttempts = 3
	}
	if c.NotMeSuspension <= 0 {
		c.NotMeSuspension = time.Hour
	}
	if c.MatchFailureLimit <= 0 {
		c.MatchFailureLimit = 3
	}
	if c.Argon2.Time == 0 {
		c.Argon2 = DefaultArgon2
	}
	if c.AccessTokenTTL == 0 {
		c.AccessTokenTTL = time.Hour
	}
	if c.RefreshTokenTTL == 0 {
		c.RefreshTokenTTL = 30 * 24 * time.Hour
	}
	if c.SSOTokenTTL <= 0 {
		c.SSOTokenTTL = time.Minute
	}
	if c.WebSessionTTL <= 0 {
		c.WebSessionTTL = time.Hour
	}
	if c.AuthCodeTTL == 0 {
		c.AuthCodeTTL = 2 * time.Minute
	}
	if c.HistoryRetention == 0 {
		c.HistoryRetention = 7 * 24 * time.Hour
	}
	if len(c.Scopes) == 0 {
		c.Scopes = append([]string(nil), oauthscope.Default...)
	}
	if len(c.ImplicitScopes) == 0 {
		c.ImplicitScopes = append([]string(nil), oauthscope.DefaultLimited...)
	}
	if len(c.DeviceScopes) == 0 {
		c.DeviceScopes = append([]string(nil), oauthscope.DefaultLimited...)
	}
	if c.MaxMessageLen == 0 {
		c.MaxMessageLen = 155
	}
	c.Limits.ClaimPerClient = limitOr(c.Limits.ClaimPerClient, DefaultLimits.ClaimPerClient)
	c.Limits.ClaimPerIP = limitOr(c.Limits.ClaimPerIP, DefaultLimits.ClaimPerIP)
	c.Limits.PinPerProfile = limitOr(c.Limits.PinPerProfile, DefaultLimits.PinPerProfile)
	c.Limits.LoginPerUser = limitOr(c.Limits.LoginPerUser, DefaultLimits.LoginPerUser)
	c.Limits.LoginPerIP = limitOr(c.Limits.LoginPerIP, DefaultLimits.LoginPerIP)
	c.Limits.CreatePerAPIClient = limitOr(c.Limits.CreatePerAPIClient, DefaultLimits.CreatePerAPIClient)
	c.Limits.APIAuthFailPerClient = limitOr(c.Limits.APIAuthFailPerClient, DefaultLimits.APIAuthFailPerClient)
	c.Limits.APIAuthFailPerIP = limitOr(c.Limits.APIAuthFailPerIP, DefaultLimits.APIAuthFailPerIP)
	c.Limits.PushPollPerClient = limitOr(c.Limits.PushPollPerClient, DefaultLimits.PushPollPerClient)
	c.Limits.BiometricPerProfile = limitOr(c.Limits.BiometricPerProfile, DefaultLimits.BiometricPerProfile)
	c.Limits.SSOPerProfile = limitOr(c.Limits.SSOPerProfile, DefaultLimits.SSOPerProfile)
	if c.PushMaxPending <= 0 {
		c.PushMaxPending = 1
	}
	if c.PushBackoff == 0 {
		c.PushBackoff = 2 * time.Second
	}
	if c.PushBackoffMax <= 0 {
		c.PushBackoffMax = 5 * time.Minute
	}
	if c.PushBackoffReset <= 0 {
		c.PushBackoffReset = 10 * time.Minute
	}
	c.Limits.RegisterPerIP = limitOr(c.Limits.RegisterPerIP, DefaultLimits.RegisterPerIP)
	if c.ReadHeaderTimeout == 0 {
		c.ReadHeaderTimeout = 10 * time.Second
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 60 * time.Second
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 120 * time.Second
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 15 * time.Second
	}
}
