package push

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/store"
)

// OutboxConfig tunes the push outbox.
type OutboxConfig struct {
	MaxAttempts  int           // sends per job before it fails (default 8)
	BaseBackoff  time.Duration // delay after the first retryable failure (default 1s), doubled each time
	MaxBackoff   time.Duration // cap of the delay (default 1m; a provider's Retry-After may be longer)
	Timeout      time.Duration // per send (default 10s)
	PollInterval time.Duration // how often the table is scanned without a wake-up (default 1s)
	Concurrency  int           // parallel sends (default 8)
}

func (c *OutboxConfig) defaults() {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Minute
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
}

// NewJob is the outbox row waking target t for transaction txID, due now.
// The relying party's create commits it together with the transaction, so a
// crash after the create's answer loses no push.
func NewJob(txID string, t store.PushTarget, nowMs, expiresAtMs int64) store.PushJob {
	return store.PushJob{ID: protocol.RandomToken(12), TransactionID: txID, EnrollmentID: t.EnrollmentID, ProfileID: t.ProfileID,
		NextAttemptAt: nowMs, ExpiresAt: expiresAtMs, CreatedAt: nowMs}
}

// Outbox sends due push jobs: a server/outbox.Retrier (the callback
// worker's per-row lease, concurrency, back-off and attempt counting) over
// the push_outbox table. Several instances may share one store: a job is
// leased by a conditional update before it is sent. Sending never runs
// inside a relying party's request.
type Outbox struct {
	*outbox.Retrier[store.PushJob]
	q *pushQueue
}

// OnResult sets a function told each send's provider and result
// (Result.Status's string; metrics.Metrics.PushSent). Call it before Run.
func (o *Outbox) OnResult(fn func(provider, result string)) { o.q.observe = fn }

// NewOutbox returns the worker; server is the identity put into each push
// (the public base URL).
func NewOutbox(st store.Store, sender Sender, server string, cfg OutboxConfig, log zerolog.Logger) *Outbox {
	cfg.defaults()
	q := &pushQueue{st: st, sender: sender, server: server, log: log, now: time.Now}
	r := outbox.NewRetrier[store.PushJob](q, outbox.Config{MaxAttempts: cfg.MaxAttempts, BaseBackoff: cfg.BaseBackoff, MaxBackoff: cfg.MaxBackoff,
		Timeout: cfg.Timeout, PollInterval: cfg.PollInterval, Concurrency: cfg.Concurrency}, log, "push")
	return &Outbox{Retrier: r, q: q}
}

// pushQueue is the push_outbox table as an outbox.Queue. Its Send records
// every outcome but a retryable failure itself (delivered with the
// provider's reason, token invalid with the target's invalidation,
// obsolete); the Retrier schedules retries (a provider's Retry-After
// respected) and gives a job up after MaxAttempts or when the next attempt
// would come after the request's expiry.
type pushQueue struct {
	st      store.Store
	sender  Sender
	server  string
	log     zerolog.Logger
	now     func() time.Time
	observe func(provider, result string)
}

func (q *pushQueue) Due(ctx context.Context, now int64, limit int) ([]store.PushJob, error) {
	var due []store.PushJob
	err := q.st.View(ctx, func(tx store.Tx) error {
		var err error
		due, err = tx.DuePushes(ctx, now, limit)
		return err
	})
	return due, err
}

func (*pushQueue) Key(j store.PushJob) (string, int, int64) { return j.ID, j.Attempts, j.NextAttemptAt }

// Expires: a job is given up rather than retried after its request expires.
func (*pushQueue) Expires(j store.PushJob) int64 { return j.ExpiresAt }

func (q *pushQueue) Lease(ctx context.Context, id string, prev, until int64) (ok bool, err error) {
	err = q.st.InTx(ctx, func(tx store.Tx) error {
		ok, err = tx.LeasePush(ctx, id, prev, until)
		return err
	})
	return ok, err
}

// Delivered is not reached (Send records a delivery with its reason).
func (q *pushQueue) Delivered(ctx context.Context, id string, now int64) error {
	return q.st.InTx(ctx, func(tx store.Tx) error { return tx.FinishPush(ctx, id, now, 0, store.PushDelivered, "") })
}

// Failed reschedules a retryable failure, or records the job failed when
// the Retrier gives up.
func (q *pushQueue) Failed(ctx context.Context, id string, attempts int, next int64, lastErr string, dead bool) error {
	return q.st.InTx(ctx, func(tx store.Tx) error {
		if dead {
			return tx.FinishPush(ctx, id, q.now().UnixMilli(), attempts, store.PushFailed, "gave_up:"+lastErr)
		}
		return tx.ReschedulePush(ctx, id, attempts, next, lastErr)
	})
}

// errRetry is a provider's retryable refusal (its reason is the message).
type errRetry struct{ reason string }

func (e errRetry) Error() string { return e.reason }

// Send reads the job's request and target and sends the push.
func (q *pushQueue) Send(ctx context.Context, j store.PushJob) error {
	var (
		tr  store.Transaction
		tgt store.PushTarget
	)
	err := q.st.View(ctx, func(tx store.Tx) error {
		var err error
		if tr, err = tx.GetTransaction(ctx, j.TransactionID); err != nil {
			return err
		}
		if _, err = tx.GetEnrollment(ctx, j.EnrollmentID); err != nil {
			return err
		}
		tgt, err = tx.GetPushTarget(ctx, j.EnrollmentID)
		return err
	})
	// Record the outcome even if ctx was cancelled (shutdown).
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	now := q.now()
	finish := func(attempts int, outcome, reason string) error {
		if e := q.st.InTx(rctx, func(tx store.Tx) error {
			if outcome == store.PushTokenInvalid {
				// Only the token this job used: a device's update wins.
				if _, err := tx.InvalidatePushTarget(rctx, tgt.EnrollmentID, tgt.Token, tgt.Endpoint, reason); err != nil {
					return err
				}
			}
			return tx.FinishPush(rctx, j.ID, now.UnixMilli(), attempts, outcome, reason)
		}); e != nil {
			q.log.Error().Err(e).Str("push_id", j.ID).Msg("push outbox: recording the outcome")
		}
		return outbox.ErrRecorded
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return finish(j.Attempts, store.PushObsolete, "no_target")
	case err != nil:
		q.log.Error().Err(err).Str("push_id", j.ID).Msg("push outbox: reading the job")
		return outbox.ErrRecorded // the lease ends; the job is tried again
	case tr.Status != store.StatusPending || now.UnixMilli() >= tr.ExpiresAt:
		return finish(j.Attempts, store.PushObsolete, "request_"+tr.Status)
	case tgt.Invalid:
		return finish(j.Attempts, store.PushObsolete, "token_invalid")
	}
	res := q.sender.Send(ctx, Target{Provider: tgt.Provider, Token: tgt.Token, Endpoint: tgt.Endpoint, P256dh: tgt.P256dh, Auth: tgt.Auth},
		Message{TransactionID: tr.ID, ProfileID: j.ProfileID, Server: q.server, Expires: time.UnixMilli(tr.ExpiresAt)})
	attempts := j.Attempts + 1
	if q.observe != nil {
		q.observe(tgt.Provider, res.Status.String())
	}
	ev := q.log.Info().Str("push_id", j.ID).Str("transaction_id", tr.ID).Str("provider", tgt.Provider).Int("attempts", attempts).Str("result", res.Status.String())
	if res.Reason != "" {
		ev = ev.Str("reason", res.Reason)
	}
	ev.Msg("push sent")
	switch res.Status {
	case Delivered:
		return finish(attempts, store.PushDelivered, res.Reason)
	case TokenInvalid:
		return finish(attempts, store.PushTokenInvalid, res.Reason)
	case Retry:
		return outbox.RetryAfter(errRetry{res.Reason}, res.RetryAfter)
	default:
		return finish(attempts, store.PushFailed, res.Reason)
	}
}
