package ratelimit

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(Limit{Rate: 1, Burst: 3}, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if !l.Allow("a") {
			t.Fatalf("event %d refused within burst", i)
		}
	}
	if l.Allow("a") {
		t.Fatal("4th event allowed beyond burst")
	}
	if !l.Allow("b") {
		t.Fatal("keys are not independent")
	}
	now = now.Add(time.Second)
	if !l.Allow("a") {
		t.Fatal("refill did not happen")
	}
	if l.Allow("a") {
		t.Fatal("refilled more than the rate")
	}
	now = now.Add(2 * time.Minute)
	l.Allow("c")
	if l.Len() != 1 {
		t.Fatalf("sweep kept %d keys, want 1", l.Len())
	}
}

func TestUnlimited(t *testing.T) {
	l := New(Limit{}, nil)
	for i := 0; i < 1000; i++ {
		if !l.Allow("k") {
			t.Fatal("unlimited limiter refused")
		}
	}
	var nilL *Limiter
	if !nilL.Allow("k") {
		t.Fatal("nil limiter refused")
	}
}

type fakeShared struct {
	err   error
	ok    bool
	calls int
	name  string
}

func (f *fakeShared) Take(_ context.Context, name, key string, l Limit, now time.Time) (bool, error) {
	f.calls++
	f.name = name
	return f.ok, f.err
}

// A shared store decides; when it fails, this instance's buckets do.
func TestSharedAndFallback(t *testing.T) {
	now := time.Unix(1000, 0)
	rejected := 0
	l := New(Limit{Rate: 1, Burst: 2}, func() time.Time { return now })
	l.Name("claim_per_ip", func() { rejected++ })
	sh := &fakeShared{ok: false}
	l.Share(sh)
	if l.Allow("a") || sh.calls != 1 || sh.name != "claim_per_ip" || rejected != 1 {
		t.Fatalf("shared refusal not obeyed: calls %d name %q rejected %d", sh.calls, sh.name, rejected)
	}
	sh.err = errors.New("store down")
	if !l.Allow("a") || !l.Allow("a") || l.Allow("a") {
		t.Fatal("fallback is not the local bucket")
	}
	if rejected != 2 {
		t.Fatalf("rejections counted %d, want 2", rejected)
	}
}
