package metrics

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/openmobileauth/oma/internal/buildinfo"
)

const namespace = "oma"

// Authentication methods (the method label; the RP API's auth_method in
// lower case).
const (
	MethodOTP  = "otp"
	MethodPush = "push"
)

// Callback outcomes (the result label of oma_callbacks_total).
const (
	CallbackDelivered = "delivered"
	CallbackRetried   = "retried" // failed, another attempt is scheduled
	CallbackFailed    = "failed"  // failed for the last time (retry budget spent)
)

// Store operations (the op label of oma_store_operation_duration_seconds).
const (
	OpInTx       = "in_tx"
	OpView       = "view"
	OpAutocommit = "autocommit"
	OpClaimOnce  = "claim_once"
	OpAnswerOnce = "answer_once"
)

// Metrics is one server instance's metrics and their registry.
type Metrics struct {
	reg *prometheus.Registry

	httpReqs     *children[routeCode, prometheus.Counter]
	httpDur      *children[string, prometheus.Observer]
	txCreated    *children[key2, prometheus.Counter]
	txAnswered   *children[key3, prometheus.Counter]
	txExpired    *children[key2, prometheus.Counter]
	callbacks    *children[string, prometheus.Counter]
	auditHooks   *children[string, prometheus.Counter]
	rateLimited  *children[string, prometheus.Counter]
	storeDur     *children[string, prometheus.Observer]
	pushSends    *children[key2, prometheus.Counter]
	egress       *children[key2, prometheus.Counter]
	outboxDepthF atomic.Pointer[func() (int, error)]
}

// PushObserver is what a push sender reports to: one call per send
// attempt with the provider ("fcm", "apns", "webpush", "log") and the
// result ("ok", "rejected", "retry", "error", ...; a small fixed set).
// *Metrics implements it; a nil *Metrics ignores the call.
type PushObserver interface {
	PushSent(provider, result string)
}

var _ PushObserver = (*Metrics)(nil)

// New registers every family in a fresh registry.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	f := promFactory{reg}
	m := &Metrics{reg: reg}
	httpReqs := f.counterVec("http_requests_total", "HTTP requests answered, by route (the ServeMux pattern) and status code.", "route", "code")
	m.httpReqs = newChildren(func(k routeCode) prometheus.Counter {
		return httpReqs.WithLabelValues(k.route, strconv.Itoa(k.code))
	})
	m.httpDur = observer1(f.histogramVec("http_request_duration_seconds", "Time to answer an HTTP request, by route (long polls and event streams included).",
		[]float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}, "route"))
	m.txCreated = counter2(f.counterVec("transactions_created_total", "Authentication requests created, by OTP type and method.", "type", "method"))
	m.txAnswered = counter3(f.counterVec("transactions_answered_total", "Authentication requests answered by a device, by OTP type, method and result (accepted, denied).", "type", "method", "result"))
	m.txExpired = counter2(f.counterVec("transactions_expired_total", "Authentication requests that expired unanswered, by OTP type and method (each counted once across instances).", "type", "method"))
	m.callbacks = counter1(f.counterVec("callbacks_total", "Callback delivery attempts to relying parties, by result (delivered, retried, failed).", "result"))
	m.auditHooks = counter1(f.counterVec("audit_webhook_deliveries_total", "Audit webhook delivery attempts, by result (delivered, retried, failed).", "result"))
	m.rateLimited = counter1(f.counterVec("rate_limit_rejections_total", "Requests refused by a rate limit, by limit name.", "limit"))
	m.storeDur = observer1(f.histogramVec("store_operation_duration_seconds", "Store operation latency, by operation.",
		[]float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}, "op"))
	m.pushSends = counter2(f.counterVec("push_sends_total", "Push notification send attempts, by provider and result.", "provider", "result"))
	m.egress = counter2(f.counterVec("egress_refused_total", "Outbound connections refused by the egress guard (server/egress), by purpose (callback, idp, audit, webpush) and reason (loopback, private, link_local, ...).", "purpose", "reason"))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "outbox_depth",
		Help: "Callbacks not yet delivered and not given up (read from the store at scrape time; shared by all instances)."}, m.outboxDepth))
	bi := buildinfo.Get()
	build := f.gaugeVec("build_info", "The running build (value 1).", "version", "revision", "goversion")
	build.WithLabelValues(bi.Version, bi.Revision, bi.GoVersion).Set(1)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

type promFactory struct{ reg *prometheus.Registry }

func (f promFactory) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	f.reg.MustRegister(v)
	return v
}

func (f promFactory) gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help}, labels)
	f.reg.MustRegister(v)
	return v
}

func (f promFactory) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	v := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets}, labels)
	f.reg.MustRegister(v)
	return v
}

// Handler serves the exposition format (text or protobuf, gzip when asked).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Registry is the registry (tests; extra collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SetOutboxDepth sets how the outbox depth is read at scrape time.
func (m *Metrics) SetOutboxDepth(fn func() (int, error)) {
	if m != nil {
		m.outboxDepthF.Store(&fn)
	}
}

func (m *Metrics) outboxDepth() float64 {
	fn := m.outboxDepthF.Load()
	if fn == nil {
		return 0
	}
	n, err := (*fn)()
	if err != nil {
		return -1 // the store did not answer; /healthz/ready says so too
	}
	return float64(n)
}

// HTTP records one answered request. route is the ServeMux pattern that
// matched ("" when none did).
func (m *Metrics) HTTP(route string, code int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	if code == 0 {
		code = http.StatusOK // nothing written: net/http answers 200
	}
	m.httpReqs.get(routeCode{route, code}).Inc()
	m.httpDur.get(route).Observe(d.Seconds())
}

// TxCreated counts a created authentication request.
func (m *Metrics) TxCreated(typ, method string) {
	if m != nil {
		m.txCreated.get(key2{typ, method}).Inc()
	}
}

// TxAnswered counts an answer (result "accepted" or "denied").
func (m *Metrics) TxAnswered(typ, method, result string) {
	if m != nil {
		m.txAnswered.get(key3{typ, method, result}).Inc()
	}
}

// TxExpired counts n requests of one type and method that expired unanswered.
func (m *Metrics) TxExpired(typ, method string, n int) {
	if m != nil && n > 0 {
		m.txExpired.get(key2{typ, method}).Add(float64(n))
	}
}

// Callback counts a callback delivery attempt's result.
func (m *Metrics) Callback(result string) {
	if m != nil {
		m.callbacks.get(result).Inc()
	}
}

// AuditWebhook counts an audit webhook delivery attempt's result.
func (m *Metrics) AuditWebhook(result string) {
	if m != nil {
		m.auditHooks.get(result).Inc()
	}
}

// RateLimited counts a refusal by the limit called name.
func (m *Metrics) RateLimited(name string) {
	if m != nil {
		m.rateLimited.get(name).Inc()
	}
}

// RateLimitCounter returns the pre-resolved counter of limit name (for a
// limiter's reject hook); nil on a nil *Metrics.
func (m *Metrics) RateLimitCounter(name string) func() {
	if m == nil {
		return nil
	}
	c := m.rateLimited.get(name)
	return c.Inc
}

// StoreOp records the latency of one store operation.
func (m *Metrics) StoreOp(op string, d time.Duration) {
	if m != nil {
		m.storeDur.get(op).Observe(d.Seconds())
	}
}

// PushSent implements PushObserver.
func (m *Metrics) PushSent(provider, result string) {
	if m != nil {
		m.pushSends.get(key2{provider, result}).Inc()
	}
}

// EgressRefused counts an outbound connection the egress guard refused.
func (m *Metrics) EgressRefused(purpose, reason string) {
	if m != nil {
		m.egress.get(key2{purpose, reason}).Inc()
	}
}
