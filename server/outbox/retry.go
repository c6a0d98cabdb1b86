package outbox

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Queue is one durable outbox table a Retrier drains: relying-party
// callbacks (Worker), audit events (server/auditwebhook) and push
// wake-ups (server/push.Outbox). A Queue that also has a method
// Expires(row T) int64 (unix ms, 0 = never) has a row given up when its
// next attempt would come after that. Rows are
// written by the change they announce; the Retrier leases each due row
// just before sending it, records the outcome, and retries with
// exponential back-off until the send succeeds or the retry budget ends.
type Queue[T any] interface {
	// Due lists up to limit undelivered, live rows due at now (unix ms).
	Due(ctx context.Context, now int64, limit int) ([]T, error)
	// Key returns a row's id, its attempts so far and its due time (the
	// value Lease expects).
	Key(row T) (id string, attempts int, due int64)
	// Lease moves the row's due time from prev to until; false when
	// another worker took it (or it was delivered).
	Lease(ctx context.Context, id string, prev, until int64) (bool, error)
	// Delivered records a successful send at now.
	Delivered(ctx context.Context, id string, now int64) error
	// Failed records a failed attempt: the attempts so far, the next due
	// time and, when dead, that no attempt follows.
	Failed(ctx context.Context, id string, attempts int, next int64, lastErr string, dead bool) error
	// Send delivers row; ctx ends at the lease's send deadline.
	Send(ctx context.Context, row T) error
}

// ErrRecorded is returned by a Queue's Send that recorded the row's outcome
// itself (an outcome other than delivered or failed, or nothing to record
// now): the Retrier records nothing.
var ErrRecorded = errors.New("outbox: outcome recorded by the queue")

type retryAfter struct {
	error
	d time.Duration
}

func (e retryAfter) Unwrap() error { return e.error }

// RetryAfter marks a failed send whose receiver asked to wait at least d
// (HTTP Retry-After): the next attempt waits the longer of d and the
// back-off.
func RetryAfter(err error, d time.Duration) error { return retryAfter{err, d} }

type permanent struct{ error }

func (e permanent) Unwrap() error { return e.error }

// Permanent marks a failed send that no retry can fix: the row is given up.
func Permanent(err error) error { return permanent{err} }

// Retrier runs a Queue: the per-row lease, the send, the back-off and the
// outcome. Several instances may share one store: a row is leased by a
// conditional update before it is sent, for the send timeout plus
// LeaseMargin, just before its own send (issue 11 item 7).
type Retrier[T any] struct {
	q        Queue[T]
	cfg      Config
	log      zerolog.Logger
	name     string // what a row is, in log records ("callback", "audit_event")
	poll     Poller
	now      func() time.Time
	beat     atomic.Int64 // unix ms of the last scan (Alive)
	onResult func(result string)
}

// NewRetrier returns a Retrier of q; name says what a row is in log records
// (field name+"_id", messages "name delivered", "name delivery failed").
func NewRetrier[T any](q Queue[T], cfg Config, log zerolog.Logger, name string) *Retrier[T] {
	cfg.defaults()
	return &Retrier[T]{q: q, cfg: cfg, log: log, name: name, poll: NewPoller(), now: time.Now}
}

// OnResult sets a function told each attempt's outcome (ResultDelivered,
// ResultRetried, ResultFailed; metrics); call it before Run.
func (w *Retrier[T]) OnResult(fn func(result string)) { w.onResult = fn }

func (w *Retrier[T]) result(r string) {
	if w.onResult != nil {
		w.onResult(r)
	}
}

// Alive reports whether Run scanned the queue recently: within three poll
// intervals plus two send timeouts (a scan waits for its batch).
func (w *Retrier[T]) Alive() bool {
	last := w.beat.Load()
	if last == 0 {
		return false
	}
	limit := 3*w.cfg.PollInterval + 2*w.cfg.Timeout + 5*time.Second
	return time.Since(time.UnixMilli(last)) <= limit
}

// Wake asks for a scan now (after a change queued a row).
func (w *Retrier[T]) Wake() { w.poll.Wake() }

// Run delivers until ctx ends.
func (w *Retrier[T]) Run(ctx context.Context) { w.poll.Run(ctx, w.cfg.PollInterval, w.RunOnce) }

// RunOnce delivers one batch of due rows and returns how many it tried.
//
// Each row is leased just before its own send, when a send slot is free
// (not for the whole batch up front): the lease lasts the send timeout plus
// LeaseMargin, so it cannot run out while the row waits behind slow
// receivers or while its request is in flight.
func (w *Retrier[T]) RunOnce(ctx context.Context) int {
	w.beat.Store(time.Now().UnixMilli())
	due, err := w.q.Due(ctx, w.now().UnixMilli(), 64)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error().Err(err).Msg("outbox scan")
		}
		return 0
	}
	sem := make(chan struct{}, w.cfg.Concurrency)
	var wg sync.WaitGroup
	tried := 0
	for _, row := range due {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		id, _, prev := w.q.Key(row)
		leasedAt := w.now()
		ok, err := w.q.Lease(ctx, id, prev, leasedAt.Add(w.cfg.Timeout+w.cfg.LeaseMargin).UnixMilli())
		if err != nil || !ok {
			<-sem
			continue // another worker has it (or had it, and delivered)
		}
		tried++
		wg.Add(1)
		go func(row T) {
			defer func() { <-sem; wg.Done() }()
			w.deliver(ctx, row, leasedAt)
		}(row)
	}
	wg.Wait()
	return tried
}

// backoff is the delay after the n-th failed attempt (n >= 1).
func (w *Retrier[T]) backoff(n int) time.Duration {
	d := w.cfg.BaseBackoff
	for i := 1; i < n && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	if d > w.cfg.MaxBackoff {
		d = w.cfg.MaxBackoff
	}
	return d
}

func (w *Retrier[T]) deliver(ctx context.Context, row T, leasedAt time.Time) {
	id, attempts, _ := w.q.Key(row)
	// The request ends before the lease does, whatever the HTTP client's own
	// timeout: the row is ours while it is in flight.
	sctx, scancel := context.WithDeadline(ctx, leasedAt.Add(w.cfg.Timeout))
	err := w.q.Send(sctx, row)
	scancel()
	// Record the outcome even if ctx was cancelled (shutdown): a fresh context
	// with a short deadline.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	now := w.now()
	if err == nil {
		if e := w.q.Delivered(rctx, id, now.UnixMilli()); e != nil {
			w.log.Error().Err(e).Str(w.name+"_id", id).Msg("outbox: recording delivery")
		}
		w.log.Debug().Str(w.name+"_id", id).Msg(w.name + " delivered")
		w.result(ResultDelivered)
		return
	}
	if errors.Is(err, ErrRecorded) {
		return // the queue recorded the outcome itself
	}
	attempts++
	wait := w.backoff(attempts)
	var ra retryAfter
	if errors.As(err, &ra) && ra.d > wait {
		wait = ra.d
	}
	next := now.Add(wait).UnixMilli()
	var pe permanent
	dead := attempts >= w.cfg.MaxAttempts || errors.As(err, &pe)
	if x, ok := w.q.(interface{ Expires(T) int64 }); ok {
		if exp := x.Expires(row); exp > 0 && next >= exp {
			dead = true // the next attempt would come after the row's expiry
		}
	}
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	if e := w.q.Failed(rctx, id, attempts, next, msg, dead); e != nil {
		w.log.Error().Err(e).Str(w.name+"_id", id).Msg("outbox: recording failure")
	}
	ev := w.log.Warn()
	if dead {
		ev = w.log.Error()
		w.result(ResultFailed)
	} else {
		w.result(ResultRetried)
	}
	ev.Str(w.name+"_id", id).Int("attempts", attempts).Bool("gave_up", dead).Str("reason", msg).Msg(w.name + " delivery failed")
}
