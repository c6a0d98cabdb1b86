package outbox_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
)

// Issue 11 item 7: with a slow receiver and two workers (two instances) on
// one store, no outbox row is delivered twice or by both at once: each row
// is leased just before its own delivery, for the request timeout plus a
// margin, not for a whole batch up front (rows queued behind slow
// deliveries used to outlive their lease and be sent by the other worker
// too). Both stores.
func TestTwoWorkersSlowReceiverNoDuplicates(t *testing.T) {
	ctx := context.Background()
	urls := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "o.db")}
	if u, ok := storetest.PostgresURL(t); ok {
		urls["postgres"] = u
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			st, err := store.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var (
				mu       sync.Mutex
				got      = map[string]int{}
				inFlight = map[string]int{}
				overlap  []string
			)
			rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ev := r.Header.Get(outbox.HeaderEventID)
				mu.Lock()
				if inFlight[ev]++; inFlight[ev] > 1 {
					overlap = append(overlap, ev)
				}
				mu.Unlock()
				time.Sleep(300 * time.Millisecond) // a slow receiver, within the timeout
				mu.Lock()
				inFlight[ev]--
				got[ev]++
				mu.Unlock()
				w.WriteHeader(http.StatusNoContent)
			}))
			defer rcv.Close()
			now := time.Now().UnixMilli()
			const rows = 12
			if err := st.InTx(ctx, func(tx store.Tx) error {
				if err := tx.CreateAPIClient(ctx, store.APIClient{ID: "rp", SecretHash: store.HashAPISecret("x"), CallbackKey: "k", CallbackKeyID: "k1", CreatedAt: now}); err != nil {
					return err
				}
				for i := 0; i < rows; i++ {
					if err := tx.EnqueueCallback(ctx, outbox.NewCallback("rp", rcv.URL, "tx"+string(rune('a'+i)), now)); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			cfg := outbox.Config{Timeout: time.Second, LeaseMargin: 100 * time.Millisecond, Concurrency: 2, PollInterval: 20 * time.Millisecond}
			runCtx, cancel := context.WithCancel(ctx)
			var wg sync.WaitGroup
			for i := 0; i < 2; i++ {
				w := outbox.NewWorker(st, cfg, nil, zerolog.Nop())
				wg.Add(1)
				go func() { defer wg.Done(); w.Run(runCtx) }()
				time.Sleep(50 * time.Millisecond) // the second instance starts a little later
			}
			deadline := time.Now().Add(20 * time.Second)
			for {
				var n int
				_ = st.View(ctx, func(tx store.Tx) error { n, err = tx.PendingCallbacks(ctx); return err })
				if n == 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(1500 * time.Millisecond) // a duplicate would be in flight by now
			cancel()
			wg.Wait()
			mu.Lock()
			defer mu.Unlock()
			if len(got) != rows {
				t.Fatalf("%d of %d callbacks delivered", len(got), rows)
			}
			for ev, n := range got {
				if n != 1 {
					t.Errorf("event %s delivered %d times", ev, n)
				}
			}
			if len(overlap) != 0 {
				t.Errorf("delivered by both workers at once: %q", overlap)
			}
		})
	}
}
