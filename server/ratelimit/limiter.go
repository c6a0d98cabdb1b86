package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Limit allows Burst events at once, refilled at Rate events per second.
// A zero Rate disables the limit.
type Limit struct {
	Rate  float64 `json:"rate"`
	Burst int     `json:"burst"`
}

// Unlimited reports whether l never refuses.
func (l Limit) Unlimited() bool { return l.Rate <= 0 }

type bucket struct {
	tokens float64
	last   time.Time
}

// Limiter holds one token bucket per key.
type Limiter struct {
	limit   Limit
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
	sweepAt time.Time

	name     string // set by Name (metrics, shared buckets)
	onReject func()
	shared   Shared
}

// Shared is a token-bucket store several server instances share (the
// PostgreSQL store): Take takes one token from bucket (name, key) of limit
// l at now and reports whether there was one.
type Shared interface {
	Take(ctx context.Context, name, key string, l Limit, now time.Time) (bool, error)
}

// sharedTimeout bounds a shared bucket's answer; after it (or any error)
// the limiter decides on this instance's own buckets.
const sharedTimeout = time.Second

// Share makes the limiter keep its buckets in s, under the name given by
// Name, so every instance on that store draws from one budget. When s does
// not answer, the instance's own buckets decide (a limit per instance
// rather than none). Call it before the limiter is used.
func (l *Limiter) Share(s Shared) { l.shared = s }

// Name names the limiter and sets a function called on every refusal (a
// metric counter); the server names each limiter after its Limits field.
// Call it before the limiter is used.
func (l *Limiter) Name(name string, onReject func()) {
	l.name, l.onReject = name, onReject
}

// LimitName is the name given by Name ("" when unnamed).
func (l *Limiter) LimitName() string { return l.name }

// New returns a limiter for l; now is the clock (time.Now when nil).
func New(l Limit, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	if l.Burst < 1 {
		l.Burst = 1
	}
	return &Limiter{limit: l, now: now, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	if l == nil || l.limit.Unlimited() {
		return true
	}
	if l.allowShared(key) {
		return true
	}
	if l.onReject != nil {
		l.onReject()
	}
	return false
}

// allowShared asks the shared buckets, or this instance's when there are
// none or they fail.
func (l *Limiter) allowShared(key string) bool {
	if l.shared == nil || l.name == "" {
		return l.allowLocal(key)
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	ok, err := l.shared.Take(ctx, l.name, key, l.limit, l.now())
	if err != nil {
		return l.allowLocal(key)
	}
	return ok
}

// allowLocal is Allow on this instance's buckets.
func (l *Limiter) allowLocal(key string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.limit.Burst), last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens += el * l.limit.Rate
		if b.tokens > float64(l.limit.Burst) {
			b.tokens = float64(l.limit.Burst)
		}
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep drops full buckets now and then so memory stays bounded by the keys
// active within one refill period.
func (l *Limiter) sweep(now time.Time) {
	if now.Before(l.sweepAt) {
		return
	}
	l.sweepAt = now.Add(time.Minute)
	full := float64(l.limit.Burst) / l.limit.Rate
	for k, b := range l.buckets {
		if now.Sub(b.last).Seconds() >= full {
			delete(l.buckets, k)
		}
	}
}

// Len is the number of tracked keys (for tests).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Exhausted reports whether key's bucket has no whole token now, without
// taking one: for limits on failures, which are counted with Allow only when
// a failure happens but must refuse every attempt while exhausted.
func (l *Limiter) Exhausted(key string) bool {
	if l == nil || l.limit.Unlimited() {
		return false
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return false
	}
	tokens := b.tokens
	if el := now.Sub(b.last).Seconds(); el > 0 {
		tokens += el * l.limit.Rate
	}
	return tokens < 1
}

// Resetter is implemented by a Shared store that can refill one bucket.
type Resetter interface {
	Reset(ctx context.Context, name, key string) error
}

// Reset refills key's bucket (an operator's unlock): this instance's and,
// when shared through a Resetter, the one every instance draws from.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
	if r, ok := l.shared.(Resetter); ok && l.name != "" {
		return r.Reset(ctx, l.name, key)
	}
	return nil
}
