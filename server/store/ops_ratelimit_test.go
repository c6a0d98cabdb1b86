package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
)

func openBoth(t *testing.T, fn func(t *testing.T, s store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := store.Open(context.Background(), "sqlite::memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		u, ok := storetest.PostgresURL(t)
		if !ok {
			t.Skip("OMA_TEST_POSTGRES_URL not set")
		}
		s, err := store.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fn(t, s)
	})
}

// The shared token bucket: burst at once, refill at rate, keys and limits
// independent, a refusal writes nothing, full buckets are purged.
func TestTakeToken(t *testing.T) {
	openBoth(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		take := func(name, key string, now int64) bool {
			ok, err := store.TakeToken(ctx, s, name, key, 2, 3, now)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		now := int64(1_000_000)
		for i := 0; i < 3; i++ {
			if !take("login", "alice", now) {
				t.Fatalf("token %d refused within the burst", i)
			}
		}
		if take("login", "alice", now) || take("login", "alice", now+100) {
			t.Fatal("a 4th token within 100 ms at 2/s")
		}
		if !take("login", "bob", now) || !take("claim", "alice", now) {
			t.Fatal("keys or limits are not independent")
		}
		if !take("login", "alice", now+500) {
			t.Fatal("no refill after 500 ms at 2/s")
		}
		if take("login", "alice", now+600) {
			t.Fatal("refilled more than the rate")
		}
		// Refill is capped at the burst.
		for i := 0; i < 3; i++ {
			if !take("login", "alice", now+100_000) {
				t.Fatalf("token %d refused after a long pause", i)
			}
		}
		if take("login", "alice", now+100_000) {
			t.Fatal("refill beyond the burst")
		}
		n, err := store.PurgeBuckets(ctx, s, now+200_000)
		if err != nil || n != 3 {
			t.Fatalf("purged %d (%v), want 3 buckets", n, err)
		}
		if _, err := store.TakeToken(ctx, s, "tiny", "k", 0.001, 1, now); err != nil {
			t.Fatalf("slow rate: %v", err)
		}
	})
}

// BenchmarkTakeToken: one shared-bucket check (the cost each limited
// request adds on PostgreSQL), over a spread of keys.
func BenchmarkTakeToken(b *testing.B) {
	u, ok := storetest.PostgresURL(b)
	if !ok {
		b.Skip("OMA_TEST_POSTGRES_URL not set")
	}
	s, err := store.Open(context.Background(), u)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "client-" + strconv.Itoa(i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.TakeToken(context.Background(), s, "claim_per_client", keys[i%len(keys)], 1000, 1000, time.Now().UnixMilli()); err != nil {
			b.Fatal(err)
		}
	}
}
