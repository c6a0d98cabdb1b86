package deps

import (
	"testing"
	"time"
)

// After a streak of n requests the next waits BackoffBase·2^(n-1), at most
// BackoffMax; without a streak (or a base) nothing.
func TestPushBackoff(t *testing.T) {
	p := PushEnv{BackoffBase: time.Second, BackoffMax: 10 * time.Second}
	for streak, want := range map[int]time.Duration{-1: 0, 0: 0, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second,
		4: 8 * time.Second, 5: 10 * time.Second, 60: 10 * time.Second} {
		if got := p.PushBackoff(streak); got != want {
			t.Errorf("streak %d: %v, want %v", streak, got, want)
		}
	}
	if got := (PushEnv{BackoffMax: time.Second}).PushBackoff(3); got != 0 {
		t.Errorf("no base: %v", got)
	}
}
