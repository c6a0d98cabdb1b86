package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// Body is the JSON body POSTed to a callback URI (DESIGN §5).
type Body struct {
	CallbackURI   string `json:"callback_uri"`
	TransactionID string `json:"transaction_id"`
}

// NewCallback builds the outbox row announcing transaction txID, due now.
func NewCallback(apiClientID, uri, txID string, nowMs int64) store.Callback {
	b, _ := json.Marshal(Body{CallbackURI: uri, TransactionID: txID})
	return store.Callback{ID: protocol.RandomToken(12), APIClientID: apiClientID, URL: uri, Body: string(b), NextAttemptAt: nowMs, CreatedAt: nowMs}
}

// Config tunes delivery.
type Config struct {
	MaxAttempts  int           // retry budget (default 12)
	BaseBackoff  time.Duration // delay after the first failure (default 1s), doubled each time
	MaxBackoff   time.Duration // cap of the delay (default 10m)
	Timeout      time.Duration // per request (default 10s)
	PollInterval time.Duration // how often the table is scanned without a wake-up (default 1s)
	Concurrency  int           // parallel deliveries (default 8)
	// LeaseMargin is how much longer than Timeout a row stays leased to the
	// worker sending it (default 5s): room for recording the outcome and
	// for clock differences between instances.
	LeaseMargin time.Duration
}

func (c *Config) defaults() {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 12
	}
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 10 * time.Minute
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.LeaseMargin <= 0 {
		c.LeaseMargin = 5 * time.Second
	}
}

// Worker delivers due callbacks. Several workers (server instances) may share
// one store: a row is leased by a conditional update before it is sent.
type Worker struct {
	st     store.Store
	cfg    Config
	client *http.Client
	log    zerolog.Logger
	poll   Poller
	now    func() time.Time

	beat     atomic.Int64 // unix ms of the last scan (Alive)
	onResult func(result string)
}

// Callback outcomes passed to the function set by OnResult.
const (
	ResultDelivered = "delivered"
	ResultRetried   = "retried" // failed; another attempt is scheduled
	ResultFailed    = "failed"  // failed for the last time
)

// OnResult sets a function told each delivery attempt's outcome (metrics);
// call it before Run.
func (w *Worker) OnResult(fn func(result string)) { w.onResult = fn }

func (w *Worker) result(r string) {
	if w.onResult != nil {
		w.onResult(r)
	}
}

// Alive reports whether Run scanned the outbox recently: within three poll
// intervals plus two delivery timeouts (a scan waits for its batch).
func (w *Worker) Alive() bool {
	last := w.beat.Load()
	if last == 0 {
		return false
	}
	limit := 3*w.cfg.PollInterval + 2*w.cfg.Timeout + 5*time.Second
	return time.Since(time.UnixMilli(last)) <= limit
}

// NewWorker returns a worker; client may be nil (one with cfg.Timeout is made).
func NewWorker(st store.Store, cfg Config, client *http.Client, log zerolog.Logger) *Worker {
	cfg.defaults()
	if client == nil {
		client = &http.Client{Timeout: cfg.Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return &Worker{st: st, cfg: cfg, client: client, log: log, poll: NewPoller(), now: time.Now}
}

// Wake asks the worker to scan now (after an answer queued a callback).
func (w *Worker) Wake() { w.poll.Wake() }

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) { w.poll.Run(ctx, w.cfg.PollInterval, w.RunOnce) }

// RunOnce delivers one batch of due callbacks and returns how many it tried.
//
// Each row is leased just before its own delivery, when a delivery slot is
// free (not for the whole batch up front): the lease lasts the request
// timeout plus LeaseMargin, so it cannot run out while the row waits behind
// slow receivers or while its request is in flight, and no other worker or
// instance sends the same row meanwhile (issue 11 item 7).
func (w *Worker) RunOnce(ctx context.Context) int {
	w.beat.Store(time.Now().UnixMilli())
	var due []store.Callback
	if err := w.st.View(ctx, func(tx store.Tx) error {
		var err error
		due, err = tx.DueCallbacks(ctx, w.now().UnixMilli(), 64)
		return err
	}); err != nil {
		if ctx.Err() == nil {
			w.log.Error().Err(err).Msg("outbox scan")
		}
		return 0
	}
	sem := make(chan struct{}, w.cfg.Concurrency)
	var wg sync.WaitGroup
	tried := 0
	for _, cb := range due {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		leasedAt := w.now()
		lease := leasedAt.Add(w.cfg.Timeout + w.cfg.LeaseMargin).UnixMilli()
		var ok bool
		if err := w.st.InTx(ctx, func(tx store.Tx) error {
			var err error
			ok, err = tx.LeaseCallback(ctx, cb.ID, cb.NextAttemptAt, lease)
			return err
		}); err != nil || !ok {
			<-sem
			continue // another worker has it (or had it, and delivered)
		}
		tried++
		wg.Add(1)
		go func(cb store.Callback) {
			defer func() { <-sem; wg.Done() }()
			w.deliver(ctx, cb, leasedAt)
		}(cb)
	}
	wg.Wait()
	return tried
}

// backoff is the delay after the n-th failed attempt (n >= 1).
func (w *Worker) backoff(n int) time.Duration {
	d := w.cfg.BaseBackoff
	for i := 1; i < n && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	if d > w.cfg.MaxBackoff {
		d = w.cfg.MaxBackoff
	}
	return d
}

func (w *Worker) deliver(ctx context.Context, cb store.Callback, leasedAt time.Time) {
	err := w.send(ctx, cb, leasedAt)
	// Record the outcome even if ctx was cancelled (shutdown): a fresh context
	// with a short deadline.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	now := w.now()
	if err == nil {
		if e := w.st.InTx(rctx, func(tx store.Tx) error { return tx.MarkCallbackDelivered(rctx, cb.ID, now.UnixMilli()) }); e != nil {
			w.log.Error().Err(e).Str("callback_id", cb.ID).Msg("outbox: recording delivery")
		}
		w.log.Debug().Str("callback_id", cb.ID).Msg("callback delivered")
		w.result(ResultDelivered)
		return
	}
	attempts := cb.Attempts + 1
	dead := attempts >= w.cfg.MaxAttempts
	next := now.Add(w.backoff(attempts)).UnixMilli()
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	if e := w.st.InTx(rctx, func(tx store.Tx) error { return tx.RescheduleCallback(rctx, cb.ID, attempts, next, msg, dead) }); e != nil {
		w.log.Error().Err(e).Str("callback_id", cb.ID).Msg("outbox: recording failure")
	}
	if dead {
		w.result(ResultFailed)
	} else {
		w.result(ResultRetried)
	}
	ev := w.log.Warn()
	if dead {
		ev = w.log.Error()
	}
	ev.Str("callback_id", cb.ID).Int("attempts", attempts).Bool("gave_up", dead).Str("reason", msg).Msg("callback delivery failed")
}

var (
	errNoClient = errors.New("API client no longer exists")
	errNoKey    = errors.New("API client has no callback key")
)

func (w *Worker) send(ctx context.Context, cb store.Callback, leasedAt time.Time) error {
	var key, keyID string
	err := w.st.View(ctx, func(tx store.Tx) error {
		c, err := tx.GetAPIClient(ctx, cb.APIClientID)
		key, keyID = c.CallbackKey, c.CallbackKeyID
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNoClient
	} else if err != nil {
		return err
	}
	if key == "" {
		return errNoKey
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	// The request ends before the lease does, whatever the HTTP client's own
	// timeout: the row is ours while it is in flight.
	rctx, cancel := context.WithDeadline(ctx, leasedAt.Add(w.cfg.Timeout))
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, cb.URL, bytes.NewReader([]byte(cb.Body)))
	if err != nil {
		return fmt.Errorf("bad callback URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "oma-tokenserver-callback/1")
	req.Header.Set(HeaderEventID, cb.ID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderKeyID, keyID)
	req.Header.Set(HeaderSignature, Sign(key, ts, cb.ID, []byte(cb.Body)))
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("POST failed: %s", trimErr(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

func trimErr(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return ue.Unwrap().Error()
	}
	return err.Error()
}
