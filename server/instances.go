package server

import (
	"context"
	"time"

	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/store"
)

// Several instances on one PostgreSQL database (DESIGN §15): rate limits
// share their buckets through the store, and watchers are woken through
// LISTEN/NOTIFY. A SQLite store has one instance: its buckets stay in
// memory and its hub needs no help.

// storeBuckets keeps rate-limit buckets in the store (store.TakeToken).
type storeBuckets struct{ st store.Store }

// Take implements ratelimit.Shared.
func (b storeBuckets) Take(ctx context.Context, name, key string, l ratelimit.Limit, now time.Time) (bool, error) {
	return store.TakeToken(ctx, b.st, name, key, l.Rate, l.Burst, now.UnixMilli())
}

// Reset implements ratelimit.Resetter (tokenserver user unlock).
func (b storeBuckets) Reset(ctx context.Context, name, key string) error {
	return store.ResetBucket(ctx, b.st, name, key)
}

// initInstances shares the rate limits and starts the notifier when the
// store is PostgreSQL (and Config.LocalRateLimits does not keep the limits
// per instance). It returns the background work to run, if any.
func (s *Server) initInstances() func(context.Context) {
	if s.st.Dialect() != "postgres" {
		return nil
	}
	if !s.cfg.LocalRateLimits {
		forEachLimiter(&s.env.Limits, func(_ string, l *ratelimit.Limiter) { l.Share(storeBuckets{s.st}) })
	}
	n, ok := store.NewNotifier(s.st, s.env.Hub.NotifyLocal, func(err error) {
		s.log.Warn().Err(err).Msg("transaction notifications (LISTEN/NOTIFY); waiters fall back to polling")
	})
	if !ok {
		return nil
	}
	s.env.Hub.Publish = n.Publish
	return n.Run
}
