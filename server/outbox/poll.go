package outbox

import (
	"context"
	"time"
)

// Poller runs a scan of a durable queue on a ticker and whenever it is woken
// (after a request queued work), rescanning at once while the scan still
// finds work. The callback worker and the push outbox share it.
type Poller struct {
	wake chan struct{}
}

// NewPoller returns a Poller with one pending wake-up at most.
func NewPoller() Poller { return Poller{wake: make(chan struct{}, 1)} }

// Wake asks for a scan now; it never blocks.
func (p Poller) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run calls scan every interval and on each Wake until ctx ends; while scan
// reports it tried something (> 0), it is called again without waiting.
func (p Poller) Run(ctx context.Context, interval time.Duration, scan func(context.Context) int) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for scan(ctx) > 0 && ctx.Err() == nil {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.wake:
		}
	}
}
