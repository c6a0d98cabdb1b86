package dispatch

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"
)

// DefaultMaxRequestSize is the largest request envelope accepted (1 MiB).
const DefaultMaxRequestSize = 1 << 20

// Sink receives every outgoing message: asynchronous responses and events. It may
// be called from many goroutines at once; implementations serialise if they need to.
type Sink func(message string)

// Handler implements one method. It returns a result that encodes to JSON (or a
// RawJSON), or an error (an *Error keeps its code; any other error becomes 8000).
// A handler may block (for example while waiting for the user); it must honour ctx.
type Handler func(ctx context.Context, c *Call) (any, error)

// Call is what a handler sees of one request.
type Call struct {
	// Method is the method name.
	Method string
	// Params is the params object (may be a non-existent Result when omitted).
	Params gjson.Result
	d      *Dispatcher
}

// Emit sends an event through the dispatcher's sink.
func (c *Call) Emit(eventType string, payload any) { c.d.Emit(eventType, payload) }

// Options configures a Dispatcher.
type Options struct {
	// Sink receives asynchronous responses and events. Required for HandleAsync and Emit.
	Sink Sink
	// Logger is used for diagnostics; it should come from redact.NewLogger.
	Logger *zerolog.Logger
	// MaxRequestSize limits request envelopes; 0 means DefaultMaxRequestSize.
	MaxRequestSize int
}

// Dispatcher routes request envelopes to handlers. It is safe for concurrent use.
type Dispatcher struct {
	mu      sync.RWMutex
	methods map[string]Handler
	sink    Sink
	log     zerolog.Logger
	max     int
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup // requests accepted by HandleAsync/HandleAsyncTo and not yet answered
	closeMu sync.RWMutex
	closed  bool

	// Asynchronous requests run on goroutines that are kept for reuse: a fresh
	// goroutine starts with a small stack that every request would grow again.
	jobs    chan job       // hands a request to an idle worker (unbuffered)
	idle    atomic.Int32   // workers waiting on jobs
	workers sync.WaitGroup // running workers
}

// job is one asynchronous request and where its response goes.
type job struct {
	req     string
	deliver func(string)
}

// maxIdleWorkers bounds the goroutines kept waiting for asynchronous requests.
// Busy workers are not bounded: a handler may block for as long as a flow waits.
const maxIdleWorkers = 64

// New creates a dispatcher with the built-in methods (ping, getVersion) registered.
func New(o Options) *Dispatcher {
	d := &Dispatcher{methods: make(map[string]Handler), sink: o.Sink, max: o.MaxRequestSize, jobs: make(chan job)}
	if d.max <= 0 {
		d.max = DefaultMaxRequestSize
	}
	if o.Logger != nil {
		d.log = *o.Logger
	} else {
		d.log = zerolog.Nop()
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	registerBuiltins(d)
	return d
}

// Logger returns the dispatcher's (redacting) logger.
func (d *Dispatcher) Logger() *zerolog.Logger { return &d.log }

// Register adds a method. Registering a name twice is an error.
func (d *Dispatcher) Register(method string, h Handler) error {
	if method == "" || h == nil {
		return fmt.Errorf("dispatch: empty method name or nil handler")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.methods[method]; dup {
		return fmt.Errorf("dispatch: method %q registered twice", method)
	}
	d.methods[method] = h
	return nil
}

// RegisterAll adds every method of table; it stops at the first error.
func (d *Dispatcher) RegisterAll(table map[string]Handler) error {
	for name, h := range table {
		if err := d.Register(name, h); err != nil {
			return err
		}
	}
	return nil
}

// Methods returns the registered method names (unordered).
func (d *Dispatcher) Methods() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]string, 0, len(d.methods))
	for m := range d.methods {
		out = append(out, m)
	}
	return out
}

// Handle processes one request synchronously and returns its response envelope.
// It never panics: a panicking handler answers CodeInternal.
func (d *Dispatcher) Handle(ctx context.Context, req string) (resp string) {
	r, perr := parseRequest(req, d.max)
	if perr != nil {
		return encodeError(r.id, perr)
	}
	d.mu.RLock()
	h := d.methods[r.method]
	d.mu.RUnlock()
	if h == nil {
		return encodeError(r.id, Errorf(CodeUnknownMethod, "unknown method %q", truncate(r.method, 64)))
	}
	defer func() {
		if p := recover(); p != nil {
			d.log.Error().Str("method", r.method).Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("handler panicked")
			resp = encodeError(r.id, Errorf(CodeInternal, "internal error in %s", r.method))
		}
	}()
	c := Call{Method: r.method, Params: r.params, d: d}
	result, err := h(ctx, &c)
	if err != nil {
		e := AsError(err)
		if e.Code == CodeInternal && e.cause != nil {
			d.log.Error().Str("method", r.method).Err(e.cause).Msg("internal error")
		}
		return encodeError(r.id, e)
	}
	out, encErr := encodeResult(r.id, result)
	if encErr != nil {
		d.log.Error().Str("method", r.method).Err(encErr).Msg("result not encodable")
		return encodeError(r.id, Errorf(CodeInternal, "result of %s not encodable", r.method))
	}
	return out
}

// HandleAsync processes one request on another goroutine and delivers the
// response through the sink. It returns at once. After Close it answers 8020
// through the sink.
func (d *Dispatcher) HandleAsync(req string) { d.HandleAsyncTo(req, d.sink) }

// HandleAsyncTo processes one request on another goroutine and hands its
// response envelope to deliver, exactly once (a panic in deliver is recovered
// and logged). It returns at once. Events emitted by the handler go through
// the sink, each before the handler returns, so an event emitted before the
// result reaches the sink before the result reaches deliver. After Close it
// answers 8020 through deliver at once.
func (d *Dispatcher) HandleAsyncTo(req string, deliver func(string)) {
	d.closeMu.RLock()
	if d.closed {
		d.closeMu.RUnlock()
		r, _ := parseRequest(req, d.max)
		d.send(deliver, encodeError(r.id, Errorf(CodeNotStarted, "SDK is closed")))
		return
	}
	d.wg.Add(1)
	d.closeMu.RUnlock()
	j := job{req: req, deliver: deliver}
	select {
	case d.jobs <- j: // an idle worker took it
	default:
		d.workers.Add(1)
		go d.work(j)
	}
}

// work answers j, then waits for more requests while few workers are idle.
func (d *Dispatcher) work(j job) {
	defer d.workers.Done()
	done := d.ctx.Done()
	for {
		d.send(j.deliver, d.Handle(d.ctx, j.req))
		d.wg.Done()
		if d.idle.Add(1) > maxIdleWorkers {
			d.idle.Add(-1)
			return
		}
		select {
		case j = <-d.jobs:
			d.idle.Add(-1)
		case <-done:
			d.idle.Add(-1)
			return
		}
	}
}

// Context is cancelled when the dispatcher closes; long-running handlers watch it.
func (d *Dispatcher) Context() context.Context { return d.ctx }

// Emit sends an event {"type": eventType, ...payload} through the sink. payload
// must encode to a JSON object (or be nil).
func (d *Dispatcher) Emit(eventType string, payload any) {
	msg, err := encodeEvent(eventType, payload)
	if err != nil {
		d.log.Error().Str("event", eventType).Err(err).Msg("event not encodable")
		return
	}
	d.deliver(msg)
}

func (d *Dispatcher) deliver(msg string) { d.send(d.sink, msg) }

// send hands msg to to (nothing when to is nil); a panic in to is logged.
func (d *Dispatcher) send(to func(string), msg string) {
	if to == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			d.log.Error().Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("sink panicked")
		}
	}()
	to(msg)
}

// Close cancels running handlers, waits for their responses to be delivered and
// ends the idle worker goroutines. Call it once the dispatcher is no longer used.
// It must not be called from a handler or from the sink (it waits for them).
func (d *Dispatcher) Close() {
	d.closeMu.Lock()
	if d.closed {
		d.closeMu.Unlock()
		return
	}
	d.closed = true
	d.closeMu.Unlock()
	d.cancel()
	d.wg.Wait()
	d.workers.Wait()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
