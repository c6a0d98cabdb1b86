package ratelimit

import (
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
