package secrethash

import (
	"errors"
	"sync"
	"testing"
)

// The gate never runs more than its slots at once and turns the overflow
// away at once instead of queueing it.
func TestHashGateBoundsConcurrency(t *testing.T) {
	g := NewGate(Params{Time: 3, MemoryKiB: 4 * 1024, Threads: 1}, 3)
	stored := Hash(CheapParams, "13579")
	var wg sync.WaitGroup
	var mu sync.Mutex
	busy := 0
	start := make(chan struct{})
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			var err error
			switch i % 3 {
			case 0:
				_, err = g.Hash("24680")
			case 1:
				_, err = g.Verify(stored, "13579")
			default:
				err = g.Dummy()
			}
			if errors.Is(err, ErrBusy) {
				mu.Lock()
				busy++
				mu.Unlock()
			} else if err != nil {
				t.Error(err)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	st := g.Stats()
	if st.MaxRunning > 3 || st.MaxRunning < 1 {
		t.Fatalf("max running = %d, want 1..3", st.MaxRunning)
	}
	if int64(busy) != st.Refused || st.Hashes+st.Refused != 40 {
		t.Fatalf("stats %+v, busy %d", st, busy)
	}
	if busy == 0 {
		t.Fatal("40 concurrent 4 MiB hashes through 3 slots: none refused")
	}
	// The slots are free again afterwards.
	if ok, err := g.Verify(stored, "13579"); !ok || err != nil {
		t.Fatalf("after the burst: %v %v", ok, err)
	}
}
