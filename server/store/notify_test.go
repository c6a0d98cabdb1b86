package store_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
)

// Issue 12: a lone instance sends no NOTIFY (each one is a durable
// PostgreSQL commit that only this instance would hear); once a second
// instance has announced itself, ids reach it. A plain LISTEN connection on
// the channel sees what is actually sent.
func TestNotifierSendsNothingWithoutPeers(t *testing.T) {
	u, ok := storetest.PostgresURL(t)
	if !ok {
		t.Skip("OMA_TEST_POSTGRES_URL not set; scripts/pg.sh runs this against a throwaway cluster")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := store.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	pu, _ := url.Parse(u)
	channel := "oma_tx_" + pu.Query().Get("search_path")

	// The observer: a plain connection listening on the channel.
	q := pu.Query()
	q.Del("search_path")
	pu.RawQuery = q.Encode()
	obs, err := pgx.Connect(ctx, pu.String())
	if err != nil {
		t.Fatal(err)
	}
	defer obs.Close(context.Background())
	if _, err := obs.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	next := func(wait time.Duration) (string, bool) {
		wctx, wcancel := context.WithTimeout(ctx, wait)
		defer wcancel()
		nt, err := obs.WaitForNotification(wctx)
		if err != nil {
			return "", false
		}
		return nt.Payload, true
	}

	var mu sync.Mutex
	gotB := map[string]bool{}
	a, ok := store.NewNotifier(s, func(string) {}, func(error) {})
	if !ok {
		t.Fatal("no notifier on PostgreSQL")
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	wg.Add(1)
	go func() { defer wg.Done(); a.Run(ctx) }()

	// A announces itself once it listens; then, alone, it publishes nothing.
	p, ok := next(5 * time.Second)
	if !ok || !strings.HasPrefix(p, "peer:") {
		t.Fatalf("first notification %q (%v), want A's announcement", p, ok)
	}
	for i := 0; i < 20; i++ {
		a.Publish("tx-alone")
	}
	if p, ok := next(500 * time.Millisecond); ok {
		t.Fatalf("lone instance sent NOTIFY %q", p)
	}
	if a.HasPeers() {
		t.Fatal("A counts a peer while alone")
	}

	// A second instance: both learn of each other, and ids flow again.
	b, _ := store.NewNotifier(s, func(id string) { mu.Lock(); gotB[id] = true; mu.Unlock() }, func(error) {})
	wg.Add(1)
	go func() { defer wg.Done(); b.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for !(a.HasPeers() && b.HasPeers()) {
		if time.Now().After(deadline) {
			t.Fatalf("peers not known: A %v, B %v", a.HasPeers(), b.HasPeers())
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.Publish("tx-shared")
	for {
		p, ok := next(5 * time.Second)
		if !ok {
			t.Fatal("A's id never sent once B is there")
		}
		if p == "tx-shared" {
			break
		}
		if !strings.HasPrefix(p, "peer:") {
			t.Fatalf("unexpected notification %q", p)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		mu.Lock()
		ok := gotB["tx-shared"]
		alone := gotB["tx-alone"]
		mu.Unlock()
		if alone {
			t.Fatal("B received an id published while A was alone")
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("B never received A's id")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
