package outbox

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A wake-up runs a scan long before the ticker would, and a scan that found
// work is repeated at once until it finds none.
func TestPollerWakeAndRescan(t *testing.T) {
	p := NewPoller()
	var calls atomic.Int32
	work := atomic.Int32{}
	scanned := make(chan int32, 16)
	scan := func(context.Context) int {
		n := calls.Add(1)
		scanned <- n
		if work.Load() > 0 {
			work.Add(-1)
			return 1
		}
		return 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx, time.Hour, scan); close(done) }()
	<-scanned // the first scan runs at start
	work.Store(2)
	p.Wake()
	p.Wake() // a second wake-up before the scan never blocks
	deadline := time.After(5 * time.Second)
	for calls.Load() < 4 { // wake → 1 (work) → 1 (work) → 0
		select {
		case <-scanned:
		case <-deadline:
			t.Fatalf("scans after Wake: %d, want 4 without waiting for the hourly ticker", calls.Load())
		}
	}
	cancel()
	<-done
}
