package server

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/core/redact"
	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/auditwebhook"
	"github.com/openmobileauth/oma/server/ca"
	"github.com/openmobileauth/oma/server/deps"
	"github.com/openmobileauth/oma/server/device"
	"github.com/openmobileauth/oma/server/egress"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/metrics"
	"github.com/openmobileauth/oma/server/oauth"
	"github.com/openmobileauth/oma/server/openapi"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/txcache"
	"github.com/openmobileauth/oma/server/wakeup"
)

// Server is a running Token Server (store open, background work started).
type Server struct {
	cfg    Config
	env    *deps.Env
	st     store.Store
	worker *outbox.Worker
	// auditHook delivers audit events to the operator's webhook (nil: off).
	auditHook *auditwebhook.Webhook
	// pushOutbox sends push wake-ups (DESIGN §12).
	pushOutbox *push.Outbox
	handler    http.Handler
	log        zerolog.Logger
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	closeMu    sync.Once
	stop       chan struct{}
	stopMu     sync.Once
	metrics    *metrics.Metrics
	admin      http.Handler
	// background is extra work run until Close (LISTEN/NOTIFY), if any.
	background func(context.Context)
}

// BeginShutdown makes waiting requests (long polls, event streams) answer
// now; call it before http.Server.Shutdown. Serve calls it itself.
func (s *Server) BeginShutdown() { s.stopMu.Do(func() { close(s.stop) }) }

// New opens the store (migrating it), loads or creates the enrollment CA and
// starts the callback worker and the replay-cache purge.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.prepare(); err != nil {
		return nil, err
	}
	out := cfg.LogOutput
	if out == nil {
		out = os.Stderr
	}
	level, err := zerolog.ParseLevel(strings.ToLower(cfg.LogLevel))
	if err != nil || cfg.LogLevel == "" {
		return nil, fmt.Errorf("server: unknown log level %q", cfg.LogLevel)
	}
	log := redact.NewLogger(out, level).With().Str("component", "tokenserver").Logger()
	st, err := store.Open(ctx, cfg.StoreURL)
	if err != nil {
		return nil, err
	}
	authority, caState, err := ca.LoadOrCreate(ctx, st, cfg.MasterKey)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	switch caState {
	case ca.KeyPlain:
		log.Warn().Msg("the enrollment CA private key is stored unencrypted: give a master key (--master-key-file or OMA_MASTER_KEY) in production")
	case ca.KeyNowSealed:
		log.Info().Msg("the enrollment CA private key is now stored encrypted under the master key")
	}
	// The secrets kept usable (callback and webhook keys, the login form's
	// key) are sealed under the master key like the CA key; values stored
	// before it (or by an admin command without it) are sealed now.
	keys := atrest.New(cfg.MasterKey)
	sealedNow, err := keys.SealStore(ctx, st)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	if n := sealedNow.CallbackKeys + sealedNow.WebhookKeys; n > 0 {
		log.Info().Int("callback_keys", sealedNow.CallbackKeys).Int("webhook_keys", sealedNow.WebhookKeys).Msg("stored keys are now encrypted under the master key")
	}
	loginKey, err := loadOrCreateKey(ctx, st, settingLoginKey, keys)
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	wall := func() time.Time { return time.Now() }
	env := &deps.Env{
		Store: st, Clock: cfg.Clock, Wall: cfg.WallClock, Log: log, BaseURL: cfg.PublicBaseURL, Hub: wakeup.NewHub(), CA: authority,
		Argon: cfg.Argon2, Hashes: secrethash.NewGate(cfg.Argon2, cfg.HashConcurrency), PinLength: cfg.PinLength, PinMaxAttempts: cfg.PinMaxAttempts,
		SuspendFor: cfg.NotMeSuspension, MatchFailureLimit: cfg.MatchFailureLimit,
		AccessTTL: cfg.AccessTokenTTL, RefreshTTL: cfg.RefreshTokenTTL, CodeTTL: cfg.AuthCodeTTL, SSOTTL: cfg.SSOTokenTTL, WebSessionTTL: cfg.WebSessionTTL,
		MaxMessageLen: cfg.MaxMessageLen, Scopes: cfg.Scopes, ImplicitScopes: cfg.ImplicitScopes, DeviceScopes: cfg.DeviceScopes, EnrollDisabled: cfg.EnrollmentDisabled, DefaultPolicy: cfg.Policy, LoginKey: loginKey, Keys: keys,
		TxCache: txcache.New(txcache.DefaultEntries, min(txcache.DefaultMargin, cfg.HistoryRetention/2)),
		Limits: deps.Limiters{
			ClaimPerClient:       ratelimit.New(cfg.Limits.ClaimPerClient, wall),
			ClaimPerIP:           ratelimit.New(cfg.Limits.ClaimPerIP, wall),
			PinPerProfile:        ratelimit.New(cfg.Limits.PinPerProfile, wall),
			LoginPerUser:         ratelimit.New(cfg.Limits.LoginPerUser, wall),
			LoginPerIP:           ratelimit.New(cfg.Limits.LoginPerIP, wall),
			CreatePerAPIClient:   ratelimit.New(cfg.Limits.CreatePerAPIClient, wall),
			APIAuthFailPerClient: ratelimit.New(cfg.Limits.APIAuthFailPerClient, wall),
			APIAuthFailPerIP:     ratelimit.New(cfg.Limits.APIAuthFailPerIP, wall),
			PushPollPerClient:    ratelimit.New(cfg.Limits.PushPollPerClient, wall),
			RegisterPerIP:        ratelimit.New(cfg.Limits.RegisterPerIP, wall),
			BiometricPerProfile:  ratelimit.New(cfg.Limits.BiometricPerProfile, wall),
			SSOPerProfile:        ratelimit.New(cfg.Limits.SSOPerProfile, wall),
		},
	}
	m := metrics.New()
	// Every outbound request to an address an operator, relying party or
	// device names goes through the egress guard (server/egress).
	egressLog := log.With().Str("component", "egress").Logger()
	onRefused := func(purpose string, e *egress.RefusedError) {
		m.EgressRefused(purpose, e.Reason)
		egressLog.Warn().Str("purpose", purpose).Str("host", e.Host).Str("reason", e.Reason).
			Msg("outbound connection refused: the destination is not a public address (allow with --allow-private-egress)")
	}
	env.AllowPrivateEgress = cfg.AllowPrivateEgress
	env.IdPClient = egress.NewClient(egress.Options{AllowPrivate: cfg.AllowPrivateEgress, Purpose: "idp", OnRefused: onRefused, Resolver: cfg.EgressResolver})
	callbackClient := cfg.CallbackClient
	if callbackClient == nil {
		callbackClient = egress.NewClient(egress.Options{AllowPrivate: cfg.AllowPrivateEgress, Purpose: "callback", OnRefused: onRefused,
			Timeout: cfg.Callbacks.Timeout, MaxIdleConnsPerHost: 8, Resolver: cfg.EgressResolver})
	}
	if cfg.Push.WebPush != nil {
		wp := *cfg.Push.WebPush
		wp.OnEgressRefused = onRefused
		cfg.Push.WebPush = &wp
	}
	router, err := push.New(cfg.Push, log.With().Str("component", "push").Logger())
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	backoff := cfg.PushBackoff
	if backoff < 0 {
		backoff = 0
	}
	env.Push = deps.PushEnv{Supports: router.Supports, VAPIDPublicKey: router.VAPIDPublicKey(),
		AllowPrivateEndpoints: cfg.Push.WebPush != nil && cfg.Push.WebPush.AllowPrivateEndpoints,
		MaxPending:            cfg.PushMaxPending, BackoffBase: backoff, BackoffMax: cfg.PushBackoffMax, BackoffReset: cfg.PushBackoffReset}
	s := &Server{cfg: cfg, env: env, st: st, log: log, stop: make(chan struct{}), metrics: m}
	env.Metrics = s.metrics
	env.Stopping = s.stop
	s.worker = outbox.NewKeyedWorker(st, cfg.Callbacks, callbackClient, log.With().Str("component", "outbox").Logger(),
		func(clientID, stored string) (string, error) {
			return env.Keys.Open(atrest.PurposeCallbackKey, clientID, stored)
		})
	env.WakeOutbox = s.worker.Wake
	s.pushOutbox = push.NewOutbox(st, router, cfg.PublicBaseURL, cfg.PushOutbox, log.With().Str("component", "push_outbox").Logger())
	env.Push.Wake = s.pushOutbox.Wake
	if cfg.AuditWebhookURL != "" {
		auditClient := cfg.AuditWebhookClient
		if auditClient == nil {
			auditClient = egress.NewClient(egress.Options{AllowPrivate: cfg.AllowPrivateEgress, Purpose: "audit", OnRefused: onRefused,
				Timeout: cfg.AuditWebhook.Timeout, Resolver: cfg.EgressResolver})
		}
		if s.auditHook, err = s.newAuditHook(ctx, auditClient); err != nil {
			_ = st.Close()
			return nil, err
		}
		env.AuditSink = s.auditHook.Sink
	}

	mux := http.NewServeMux()
	s.initOps(mux)
	device.New(env).Register(mux)
	oauth.New(env).Register(mux)
	rp.New(env).Register(mux)
	mux.Handle(openapiPath, openapi.Handler())
	mux.HandleFunc("/healthz", s.health)
	mux.HandleFunc("/", notFound)
	s.handler = s.middleware(mux)

	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.wg.Add(3)
	go func() { defer s.wg.Done(); s.worker.Run(bg) }()
	go func() { defer s.wg.Done(); s.pushOutbox.Run(bg) }()
	go func() { defer s.wg.Done(); s.purgeLoop(bg) }()
	if s.auditHook != nil {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.auditHook.Run(bg) }()
	}
	if s.background != nil {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.background(bg) }()
	}
	return s, nil
}

const openapiPath = "/openapi.yaml"

// Handler is the HTTP handler of every API.
func (s *Server) Handler() http.Handler { return s.handler }

// Store is the server's store (admin tools and tests).
func (s *Server) Store() store.Store { return s.st }

// CACertificate is the enrollment CA's certificate.
func (s *Server) CACertificate() *x509.Certificate { return s.env.CA.Cert() }

// ParseMasterKey reads a master key (32 bytes, base64 or hex encoded).
func ParseMasterKey(text string) ([]byte, error) { return ca.ParseMasterKey(text) }

// HashStats are the counters of the server's argon2 gate.
type HashStats = secrethash.GateStats

// HashStats reports how many argon2 computations ran, the most that ran at
// once and how many requests the gate turned away (tests, diagnostics).
func (s *Server) HashStats() HashStats { return s.env.Hashes.Stats() }

// Config is the effective configuration (defaults applied).
func (s *Server) Config() Config { return s.cfg }

// Close stops background work and closes the store.
func (s *Server) Close() error {
	var err error
	s.closeMu.Do(func() {
		s.BeginShutdown()
		s.cancel()
		s.wg.Wait()
		err = s.st.Close()
	})
	return err
}

// ListenAndServe serves on cfg.ListenAddr (TLS when configured) until ctx ends,
// then shuts down gracefully (in-flight requests finish, up to
// ShutdownTimeout) and closes the server.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.ListenAddr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve is ListenAndServe on an existing listener.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	stopAdmin, err := s.serveAdmin(ctx)
	if err != nil {
		_ = s.Close()
		return err
	}
	defer stopAdmin()
	hs := s.HTTPServer()
	errc := make(chan error, 1)
	go func() {
		if s.cfg.TLSCertFile != "" {
			errc <- hs.ServeTLS(ln, s.cfg.TLSCertFile, s.cfg.TLSKeyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	s.log.Info().Str("addr", ln.Addr().String()).Str("base_url", s.cfg.PublicBaseURL).Str("store", s.st.Dialect()).Msg("serving")
	select {
	case err := <-errc:
		_ = s.Close()
		return err
	case <-ctx.Done():
	}
	s.log.Info().Msg("shutting down")
	s.BeginShutdown()
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err = hs.Shutdown(sctx)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// HTTPServer returns an http.Server for Handler with the configured timeouts.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          nil,
	}
}

// purgeLoop runs Purge every minute.
func (s *Server) purgeLoop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.Purge(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn().Err(err).Msg("replay cache purge")
		}
		if err := s.CountExpired(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn().Err(err).Msg("counting expired requests")
		}
		if _, err := store.PurgeBuckets(ctx, s.st, time.Now().UnixMilli()); err != nil && ctx.Err() == nil {
			s.log.Warn().Err(err).Msg("rate-limit bucket purge")
		}
	}
}

// Purge drops expired replay-cache entries (by the wall clock, the one that
// checks proof freshness), codes and tokens, and history older than
// HistoryRetention; the server runs it every minute.
func (s *Server) Purge(ctx context.Context) error {
	return s.st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.PurgeJTIs(ctx, s.env.Wall.Now().UnixMilli()); err != nil {
			return err
		}
		now := s.cfg.Clock.Now()
		if _, err := tx.PurgeExpired(ctx, now.UnixMilli(), now.Add(-s.cfg.HistoryRetention).UnixMilli()); err != nil {
			return err
		}
		_, err := tx.PurgePush(ctx, now.Add(-s.cfg.HistoryRetention).UnixMilli())
		return err
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		_, err := tx.PendingCallbacks(r.Context())
		return err
	})
	if err != nil {
		httpio.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	httpio.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "store": s.st.Dialect()})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" && r.Method == http.MethodGet {
		httpio.WriteJSON(w, http.StatusOK, map[string]string{"service": "oma-tokenserver", "openapi": openapiPath})
		return
	}
	httpio.WriteJSON(w, http.StatusNotFound, map[string]any{"error": "not_found", "error_code": httpio.RPCodeNotFound, "error_description": "no such endpoint"})
}
