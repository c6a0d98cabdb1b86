package crashtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/loadgen"
	"github.com/openmobileauth/oma/server/store/storetest"
)

const (
	rpID      = "crash-rp"
	rpSecret  = "crash-rp-secret-0123456789abcdef"
	nDevices  = 6
	nWorkers  = 8
	minAcked  = 60 // answers acknowledged before the kill
	minQueued = 10 // of which callbacks not yet delivered at the kill
	failFirst = 8  // callback deliveries the receiver refuses at first
	// callback attempts before the kill: some refused, some accepted
	minAttempts = failFirst + 4
	pin         = "24680"
)

func TestCrashSQLite(t *testing.T) {
	crashTest(t, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
}

func TestCrashPostgres(t *testing.T) {
	u, ok := storetest.PostgresURL(t)
	if !ok {
		t.Skip("OMA_TEST_POSTGRES_URL not set; scripts/pg.sh runs this against a throwaway PostgreSQL cluster")
	}
	crashTest(t, u)
}

// flows records what the relying party and the devices saw.
type flows struct {
	mu      sync.Mutex
	started map[string]bool   // transaction ids created
	acked   map[string]string // transaction id -> status of a 2xx answer ("accepted"/"denied")
	errs    []string          // unexpected errors before the kill
}

func (f *flows) counts() (started, acked int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.started), len(f.acked)
}

func (f *flows) ackedIDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.acked))
	for id := range f.acked {
		out = append(out, id)
	}
	return out
}

func crashTest(t *testing.T, storeURL string) {
	bin := tokenserverBinary(t)
	rcv, err := loadgen.NewReceiver()
	if err != nil {
		t.Fatal(err)
	}
	defer rcv.Close()
	// The relying party with the receiver as its callback, set up through the
	// admin command on the store the server will use; callbacks are signed
	// with the callback key it prints.
	out := admin(t, bin, "api-client", "create", "--store", storeURL, "--id", rpID, "--secret", rpSecret, "--callback", rcv.URL)
	_, key, ok := strings.Cut(out, "callback key: ")
	if !ok {
		t.Fatalf("api-client create printed no callback key:\n%s", out)
	}
	rcv.RequireSignature(strings.TrimSpace(strings.SplitN(key, "\n", 2)[0]))
	addr := freeAddr(t)
	base := "http://" + addr
	srv := startServer(t, bin, addr, storeURL)

	hc := loadgen.NewHTTPClient(32, 10*time.Second)
	ctx := waitCtx(t, 2*time.Minute)
	devs, err := loadgen.SetupDevices(ctx, base, hc, nDevices, nDevices, func(int) (string, string) { return "demo", "demo1234" }, pin)
	if err != nil {
		t.Fatalf("device set-up: %v\n%s", err, srv.out.String())
	}
	rp := loadgen.NewRP(base, hc, rpID, rpSecret)

	// The callback endpoint is slow and refuses the first deliveries, so the
	// outbox has undelivered and in-flight rows when the server dies.
	rcv.SetDelay(150 * time.Millisecond)
	rcv.FailNext(failFirst)

	f := &flows{started: map[string]bool{}, acked: map[string]string{}}
	var killed atomic.Bool
	var answersInFlight atomic.Int64
	wctx, stopWorkers := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for w := 0; w < nWorkers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; wctx.Err() == nil; i++ {
				err := oneFlow(wctx, rp, devs[(w+i)%len(devs)], rcv.URL, i%5 == 4, f, &answersInFlight)
				if err != nil && !killed.Load() && wctx.Err() == nil {
					f.mu.Lock()
					f.errs = append(f.errs, err.Error())
					f.mu.Unlock()
				}
			}
		}(w)
	}

	// Kill once enough answers were acknowledged and enough of their
	// callbacks are still queued.
	deadline := time.Now().Add(30 * time.Second)
	var inFlightAtKill, callbacksInFlightAtKill int64
	var queuedAtKill int
	for {
		_, acked := f.counts()
		delivered := 0
		got := rcv.Delivered()
		for _, id := range f.ackedIDs() {
			if got[id] > 0 {
				delivered++
			}
		}
		// ... and after the receiver refused some deliveries (retries are
		// scheduled) and accepted a few (delivered rows exist too).
		if acked >= minAcked && acked-delivered >= minQueued && rcv.Attempts() >= minAttempts {
			inFlightAtKill, callbacksInFlightAtKill = answersInFlight.Load(), rcv.InFlight()
			queuedAtKill = acked - delivered
			killed.Store(true)
			srv.kill(t)
			break
		}
		if time.Now().After(deadline) {
			stopWorkers()
			wg.Wait()
			t.Fatalf("did not reach %d acknowledged answers with %d queued callbacks and %d callback attempts in 30s (acked %d, delivered %d, attempts %d); errors: %v\n%s",
				minAcked, minQueued, minAttempts, acked, delivered, rcv.Attempts(), firstN(f.errs, 5), srv.out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Let the workers run into the dead server for a moment, then stop them.
	time.Sleep(100 * time.Millisecond)
	stopWorkers()
	wg.Wait()
	started, acked := f.counts()
	t.Logf("killed with SIGKILL: %d requests started, %d answers acknowledged, %d answers and %d callback deliveries in flight, %d acknowledged answers' callbacks not yet delivered, %d callback attempts so far",
		started, acked, inFlightAtKill, callbacksInFlightAtKill, queuedAtKill, rcv.Attempts())
	if len(f.errs) > 0 {
		t.Errorf("%d flows failed before the kill, e.g. %v", len(f.errs), firstN(f.errs, 5))
	}

	// Restart on the same store; the callback endpoint is healthy now.
	rcv.SetDelay(0)
	rcv.FailNext(0)
	srv2 := startServer(t, bin, addr, storeURL)

	// 1. Every acknowledged answer is still recorded, with its decision.
	answered := map[string]string{}
	f.mu.Lock()
	ids := make([]string, 0, len(f.started))
	for id := range f.started {
		ids = append(ids, id)
	}
	ackedCopy := make(map[string]string, len(f.acked))
	for k, v := range f.acked {
		ackedCopy[k] = v
	}
	f.mu.Unlock()
	lost := 0
	for _, id := range ids {
		res, err := rp.Fetch(ctx, id)
		if err != nil {
			var he *loadgen.HTTPError
			if errors.As(err, &he) && he.Status == http.StatusNotFound && ackedCopy[id] == "" {
				// a create whose answer was lost with the server is allowed to be unknown
				continue
			}
			t.Errorf("fetch %s after restart: %v", id, err)
			continue
		}
		if res.Status == "accepted" || res.Status == "denied" {
			answered[id] = res.Status
		}
		if want := ackedCopy[id]; want != "" {
			if res.Status != want || res.IsAuthenticated != (want == "accepted") {
				lost++
				t.Errorf("acknowledged answer lost: transaction %s was %s before the kill, now status %q authenticated=%v", id, want, res.Status, res.IsAuthenticated)
			}
		}
	}
	unackedButRecorded := len(answered) - (len(ackedCopy) - lost)
	t.Logf("after restart: %d of %d acknowledged answers recorded; %d more answers were committed whose reply the kill cut off", len(ackedCopy)-lost, len(ackedCopy), unackedButRecorded)

	// 2. Every answered transaction's callback is delivered (at least once).
	want := make([]string, 0, len(answered))
	for id := range answered {
		want = append(want, id)
	}
	// Leases of deliveries cut off by the kill expire after the callback
	// timeout plus 5 s (15 s with the defaults), so allow for that.
	if missing := rcv.WaitFor(want, 45*time.Second); len(missing) > 0 {
		t.Errorf("%d of %d answered transactions never got their callback after the restart, e.g. %v", len(missing), len(want), firstN(missing, 5))
	}
	dups, extra := 0, 0
	got := rcv.Delivered()
	for id, n := range got {
		if n > 1 {
			dups++
		}
		if answered[id] == "" {
			extra++
		}
	}
	t.Logf("callbacks: %d transactions delivered, %d delivered more than once (at-least-once delivery), %d attempts in all", len(got), dups, rcv.Attempts())
	if extra > 0 {
		t.Errorf("%d callbacks for transactions that are not answered", extra)
	}
	if n := rcv.BadBodies(); n > 0 {
		t.Errorf("%d callbacks had a bad body or signature", n)
	}

	// 3. The restarted server still knows the devices and their keys.
	for i := 0; i < 4; i++ {
		if _, err := loadgen.Transaction(ctx, rp, devs[i%len(devs)], &loadgen.Plan{Type: "demo", Message: "after restart", Bound: true}); err != nil {
			t.Errorf("complete flow after restart: %v\n%s", err, srv2.out.String())
		}
	}
	if t.Failed() {
		t.Logf("server output (first run):\n%s\nserver output (after restart):\n%s", tail(srv.out.String(), 4000), tail(srv2.out.String(), 4000))
	}
}

// oneFlow runs create (with the callback), claim and answer; it records the
// created transaction and, when the answer got a 2xx, the acknowledged status.
func oneFlow(ctx context.Context, rp *loadgen.RP, dev *loadgen.Device, callback string, deny bool, f *flows, inFlight *atomic.Int64) error {
	st, err := rp.Start(ctx, loadgen.AuthRequest{Type: "demo", Message: "Crash test " + strconv.FormatBool(deny), CallbackURI: callback, UserID: dev.UserID})
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.started[st.TransactionID] = true
	f.mu.Unlock()
	c, err := dev.Claim(ctx, st.OTP)
	if err != nil {
		return err
	}
	decision := protocol.DecisionAccept
	if deny {
		decision = protocol.DecisionDeny
	}
	inFlight.Add(1)
	a, err := dev.Respond(ctx, c, decision)
	inFlight.Add(-1)
	if err != nil {
		return err
	}
	if a.Status != "accepted" && a.Status != "denied" {
		return fmt.Errorf("answer status %q", a.Status)
	}
	f.mu.Lock()
	f.acked[st.TransactionID] = a.Status
	f.mu.Unlock()
	return nil
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return strings.TrimSpace(s)
}
