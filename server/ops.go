package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/openmobileauth/oma/server/deps"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/metrics"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/store"
)

// Operations (DESIGN §15): the admin listener with Prometheus /metrics,
// liveness and readiness on both listeners, and the expiry count.

// Health endpoints, on the public and the admin listener.
const (
	PathLive  = "/healthz/live"
	PathReady = "/healthz/ready"
	// PathMetrics is the Prometheus exposition, on the admin listener only.
	PathMetrics = "/metrics"
)

// Metrics is the server's metrics.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// AdminHandler serves the admin listener: /metrics and the health endpoints.
func (s *Server) AdminHandler() http.Handler { return s.admin }

// initOps builds the metrics, names the rate limiters after their Limits
// fields (metric labels; every limiter added to deps.Limiters is named the
// same way) and registers the health endpoints on mux. Call before the
// handlers are registered on mux.
func (s *Server) initOps(mux *http.ServeMux) {
	s.env.Store = s.metrics.InstrumentStore(s.st)
	forEachLimiter(&s.env.Limits, func(name string, l *ratelimit.Limiter) {
		l.Name(name, s.metrics.RateLimitCounter(name))
	})
	s.worker.OnResult(s.metrics.Callback)
	s.pushOutbox.OnResult(s.metrics.PushSent)
	s.background = s.initInstances()
	s.metrics.SetOutboxDepth(func() (int, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var n int
		err := s.st.View(ctx, func(tx store.Tx) error {
			var err error
			n, err = tx.PendingCallbacks(ctx)
			return err
		})
		return n, err
	})
	mux.HandleFunc("GET "+PathLive, s.live)
	mux.HandleFunc("GET "+PathReady, s.ready)

	admin := http.NewServeMux()
	admin.Handle("GET "+PathMetrics, s.metrics.Handler())
	admin.HandleFunc("GET "+PathLive, s.live)
	admin.HandleFunc("GET "+PathReady, s.ready)
	s.registerAdminAPI(admin)
	admin.HandleFunc("/", notFound)
	s.admin = s.middleware(admin)
}

// forEachLimiter calls fn with every *ratelimit.Limiter field of ls and its
// name in snake case (ClaimPerIP → claim_per_ip).
func forEachLimiter(ls *deps.Limiters, fn func(name string, l *ratelimit.Limiter)) {
	v := reflect.ValueOf(ls).Elem()
	for i := 0; i < v.NumField(); i++ {
		l, ok := v.Field(i).Interface().(*ratelimit.Limiter)
		if ok && l != nil {
			fn(snake(v.Type().Field(i).Name), l)
		}
	}
}

// snake turns a Go field name into snake case (ClaimPerIP → claim_per_ip,
// CreatePerAPIClient → create_per_api_client).
func snake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// live: the process runs and serves HTTP.
func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	httpio.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Readiness failures (the "reason" of a 503 from /healthz/ready).
var (
	errShuttingDown = errors.New("shutting_down")
	errStoreDown    = errors.New("store_unreachable")
	errMigrations   = errors.New("migrations_pending")
	errOutboxWorker = errors.New("outbox_worker_stalled")
	errAuditWorker  = errors.New("audit_webhook_worker_stalled")
)

// Ready reports why the server should not get traffic (nil: ready): it is
// shutting down, the store does not answer within 2 s, the schema lacks a
// migration of this build, or the callback worker stopped scanning.
func (s *Server) Ready(ctx context.Context) error {
	select {
	case <-s.stop:
		return errShuttingDown
	default:
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := store.Check(ctx, s.st); errors.Is(err, store.ErrMigrationsPending) {
		return errMigrations
	} else if err != nil {
		return errStoreDown
	}
	if !s.worker.Alive() {
		return errOutboxWorker
	}
	if s.auditHook != nil && !s.auditHook.Alive() {
		return errAuditWorker
	}
	return nil
}

// ready: 200 when Ready, else 503 with the reason (no details of the
// store's error: those go to the log).
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	if err := s.Ready(r.Context()); err != nil {
		s.log.Warn().Str("reason", err.Error()).Msg("not ready")
		httpio.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
		return
	}
	httpio.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "store": s.st.Dialect()})
}

// CountExpired adds the requests that expired unanswered since the last
// count (by any instance on this store) to oma_transactions_expired_total.
// The purge loop runs it every minute.
func (s *Server) CountExpired(ctx context.Context) error {
	byType, err := store.CountExpired(ctx, s.st, s.cfg.Clock.Now().UnixMilli())
	for k, n := range byType {
		method := metrics.MethodOTP
		if k.Push {
			method = metrics.MethodPush
		}
		s.metrics.TxExpired(k.Type, method, n)
	}
	return err
}

// serveAdmin serves AdminHandler on cfg.AdminListenAddr until ctx ends
// (nothing when it is empty).
func (s *Server) serveAdmin(ctx context.Context) (func(), error) {
	if s.cfg.AdminListenAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", s.cfg.AdminListenAddr)
	if err != nil && s.cfg.AdminListenOptional {
		s.log.Warn().Err(err).Msg("admin listener (metrics, health) not started: set --admin-listen to a free address")
		return func() {}, nil
	} else if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: s.admin, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	s.log.Info().Str("addr", ln.Addr().String()).Msg("admin listener (metrics, health)")
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}, nil
}
