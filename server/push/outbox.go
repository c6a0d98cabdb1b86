package push

import (
	"context"
	"errors"
	"sync"
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

// Outbox sends due push jobs. Several instances may share one store: a job is
// leased by a conditional update before it is sent. Sending never runs inside
// a relying party's request.
type Outbox struct {
	st     store.Store
	sender Sender
	server string
	cfg    OutboxConfig
	log    zerolog.Logger
	poll   outbox.Poller
	now    func() time.Time

	observe func(provider, result string)
}

// OnResult sets a function told each send's provider and result
// (Result.Status's string; metrics.Metrics.PushSent). Call it before Run.
func (o *Outbox) OnResult(fn func(provider, result string)) { o.observe = fn }

// NewOutbox returns the worker; server is the identity put into each push
// (the public base URL).
func NewOutbox(st store.Store, sender Sender, server string, cfg OutboxConfig, log zerolog.Logger) *Outbox {
	cfg.defaults()
	return &Outbox{st: st, sender: sender, server: server, cfg: cfg, log: log, poll: outbox.NewPoller(), now: time.Now}
}

// Wake asks the worker to scan now (after a create queued jobs).
func (o *Outbox) Wake() { o.poll.Wake() }

// Run sends until ctx ends.
func (o *Outbox) Run(ctx context.Context) { o.poll.Run(ctx, o.cfg.PollInterval, o.RunOnce) }

// RunOnce sends one batch of due jobs and returns how many it tried.
func (o *Outbox) RunOnce(ctx context.Context) int {
	now := o.now().UnixMilli()
	var due []store.PushJob
	if err := o.st.View(ctx, func(tx store.Tx) error {
		var err error
		due, err = tx.DuePushes(ctx, now, 64)
		return err
	}); err != nil {
		if ctx.Err() == nil {
			o.log.Error().Err(err).Msg("push outbox scan")
		}
		return 0
	}
	sem := make(chan struct{}, o.cfg.Concurrency)
	var wg sync.WaitGroup
	tried := 0
	for _, j := range due {
		lease := now + (o.cfg.Timeout + 5*time.Second).Milliseconds()
		var ok bool
		if err := o.st.InTx(ctx, func(tx store.Tx) error {
			var err error
			ok, err = tx.LeasePush(ctx, j.ID, j.NextAttemptAt, lease)
			return err
		}); err != nil || !ok {
			continue
		}
		tried++
		wg.Add(1)
		sem <- struct{}{}
		go func(j store.PushJob) {
			defer func() { <-sem; wg.Done() }()
			o.deliver(ctx, j)
		}(j)
	}
	wg.Wait()
	return tried
}

// backoff is the delay after the n-th retryable failure (n >= 1).
func (o *Outbox) backoff(n int) time.Duration {
	d := o.cfg.BaseBackoff
	for i := 1; i < n && d < o.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, o.cfg.MaxBackoff)
}

func (o *Outbox) deliver(ctx context.Context, j store.PushJob) {
	var (
		tr  store.Transaction
		tgt store.PushTarget
	)
	err := o.st.View(ctx, func(tx store.Tx) error {
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
	now := o.now()
	finish := func(attempts int, outcome, reason string) {
		if e := o.st.InTx(rctx, func(tx store.Tx) error {
			if outcome == store.PushTokenInvalid {
				// Only the token this job used: a device's update wins.
				if _, err := tx.InvalidatePushTarget(rctx, tgt.EnrollmentID, tgt.Token, tgt.Endpoint, reason); err != nil {
					return err
				}
			}
			return tx.FinishPush(rctx, j.ID, now.UnixMilli(), attempts, outcome, reason)
		}); e != nil {
			o.log.Error().Err(e).Str("push_id", j.ID).Msg("push outbox: recording the outcome")
		}
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		finish(j.Attempts, store.PushObsolete, "no_target")
		return
	case err != nil:
		o.log.Error().Err(err).Str("push_id", j.ID).Msg("push outbox: reading the job")
		return // the lease ends; the job is tried again
	case tr.Status != store.StatusPending || now.UnixMilli() >= tr.ExpiresAt:
		finish(j.Attempts, store.PushObsolete, "request_"+tr.Status)
		return
	case tgt.Invalid:
		finish(j.Attempts, store.PushObsolete, "token_invalid")
		return
	}
	sctx, scancel := context.WithTimeout(ctx, o.cfg.Timeout)
	res := o.sender.Send(sctx, Target{Provider: tgt.Provider, Token: tgt.Token, Endpoint: tgt.Endpoint, P256dh: tgt.P256dh, Auth: tgt.Auth},
		Message{TransactionID: tr.ID, ProfileID: j.ProfileID, Server: o.server, Expires: time.UnixMilli(tr.ExpiresAt)})
	scancel()
	attempts := j.Attempts + 1
	if o.observe != nil {
		o.observe(tgt.Provider, res.Status.String())
	}
	ev := o.log.Info().Str("push_id", j.ID).Str("transaction_id", tr.ID).Str("provider", tgt.Provider).Int("attempts", attempts).Str("result", res.Status.String())
	if res.Reason != "" {
		ev = ev.Str("reason", res.Reason)
	}
	switch res.Status {
	case Delivered:
		finish(attempts, store.PushDelivered, res.Reason)
	case TokenInvalid:
		finish(attempts, store.PushTokenInvalid, res.Reason)
	case Retry:
		next := now.Add(max(res.RetryAfter, o.backoff(attempts))).UnixMilli()
		if attempts >= o.cfg.MaxAttempts || next >= j.ExpiresAt {
			finish(attempts, store.PushFailed, "gave_up:"+res.Reason)
			ev = ev.Bool("gave_up", true)
			break
		}
		if e := o.st.InTx(rctx, func(tx store.Tx) error { return tx.ReschedulePush(rctx, j.ID, attempts, next, res.Reason) }); e != nil {
			o.log.Error().Err(e).Str("push_id", j.ID).Msg("push outbox: recording a retry")
		}
	default:
		finish(attempts, store.PushFailed, res.Reason)
	}
	ev.Msg("push sent")
}
