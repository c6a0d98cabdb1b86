package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openmobileauth/oma/server/store"
)

// timedStore records the latency of every store operation. It embeds the
// store, so operations added to store.Store later pass through (untimed)
// until they are listed here.
type timedStore struct {
	store.Store
	inTx, view, auto, claim, answer prometheus.Observer
}

// InstrumentStore wraps st so each operation's latency is recorded; with a
// nil *Metrics it returns st itself.
func (m *Metrics) InstrumentStore(st store.Store) store.Store {
	if m == nil {
		return st
	}
	return &timedStore{Store: st, inTx: m.storeDur.get(OpInTx), view: m.storeDur.get(OpView), auto: m.storeDur.get(OpAutocommit),
		claim: m.storeDur.get(OpClaimOnce), answer: m.storeDur.get(OpAnswerOnce)}
}

func since(o prometheus.Observer, start time.Time) { o.Observe(time.Since(start).Seconds()) }

func (s *timedStore) InTx(ctx context.Context, fn func(store.Tx) error) error {
	defer since(s.inTx, time.Now())
	return s.Store.InTx(ctx, fn)
}

func (s *timedStore) View(ctx context.Context, fn func(store.Tx) error) error {
	defer since(s.view, time.Now())
	return s.Store.View(ctx, fn)
}

func (s *timedStore) Autocommit(ctx context.Context, fn func(store.Tx) error) error {
	defer since(s.auto, time.Now())
	return s.Store.Autocommit(ctx, fn)
}

func (s *timedStore) ClaimOnce(ctx context.Context, jti string, jtiExpiresAt int64, id string, e store.Enrollment, nonce string, now int64) (bool, bool, error) {
	defer since(s.claim, time.Now())
	return s.Store.ClaimOnce(ctx, jti, jtiExpiresAt, id, e, nonce, now)
}

func (s *timedStore) AnswerOnce(ctx context.Context, jti string, jtiExpiresAt int64, id string, e store.Enrollment, nonce, status string, now int64, cb *store.Callback) (bool, bool, error) {
	defer since(s.answer, time.Now())
	return s.Store.AnswerOnce(ctx, jti, jtiExpiresAt, id, e, nonce, status, now, cb)
}
