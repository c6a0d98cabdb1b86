package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// receiver is a relying party's callback endpoint that fails the first
// `failures` deliveries with 500.
type receiver struct {
	srv      *httptest.Server
	failures int32
	hits     atomic.Int32
	mu       sync.Mutex
	got      []outbox.Body
	bad      []string
	events   []string // X-OMA-Event-Id of every hit
	keyIDs   []string // X-OMA-Key-Id of every hit
	headers  []http.Header
	bodies   [][]byte
	secret   func() string
}

func newReceiver(t *testing.T, failures int32, secret func() string) *receiver {
	r := &receiver{failures: failures, secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n := r.hits.Add(1)
		body, _ := io.ReadAll(req.Body)
		err := outbox.Verify(r.secret(), req.Header, body, time.Now(), time.Minute)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.events = append(r.events, req.Header.Get(outbox.HeaderEventID))
		r.keyIDs = append(r.keyIDs, req.Header.Get(outbox.HeaderKeyID))
		r.headers = append(r.headers, req.Header.Clone())
		r.bodies = append(r.bodies, body)
		if err != nil {
			r.bad = append(r.bad, err.Error())
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if n <= r.failures {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		var b outbox.Body
		if json.Unmarshal(body, &b) != nil {
			r.bad = append(r.bad, "bad body "+string(body))
		}
		r.got = append(r.got, b)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) delivered() []outbox.Body {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]outbox.Body(nil), r.got...)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func answerOne(t *testing.T, ts *servertest.TestServer, d *servertest.Device, cb string) string {
	t.Helper()
	id, otp := newRequest(t, ts, rp.CreateParams{CallbackURI: cb})
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil {
		t.Fatal(err)
	}
	return id
}

// Callbacks are signed with the API client's callback key and retried with
// back-off until a 2xx, under one event id.
func TestCallbackSignedAndRetried(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		var ts *servertest.TestServer
		rcv := newReceiver(t, 2, func() string { return ts.CallbackKey })
		ts = servertest.Start(t, o)
		cb := rcv.srv.URL + "/oma/callback"
		ts.AllowCallback(cb)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id := answerOne(t, ts, d, cb)
		waitFor(t, "delivery", func() bool { return len(rcv.delivered()) == 1 })
		got := rcv.delivered()[0]
		if got.TransactionID != id || got.CallbackURI != cb {
			t.Fatalf("callback body %+v", got)
		}
		if rcv.hits.Load() != 3 {
			t.Fatalf("hits = %d, want 3 (2 failures + 1 success)", rcv.hits.Load())
		}
		if len(rcv.bad) != 0 {
			t.Fatalf("bad deliveries: %v", rcv.bad)
		}
		// Issue 11 item 7: one event id on every retry of the callback, the
		// callback key's id, and a signature that the Basic-auth secret
		// does not verify (the key is not the secret).
		rcv.mu.Lock()
		events, keyIDs, hdr, body := rcv.events, rcv.keyIDs, rcv.headers[2], rcv.bodies[2]
		rcv.mu.Unlock()
		if len(events) != 3 || events[0] == "" || events[1] != events[0] || events[2] != events[0] {
			t.Fatalf("event ids across the retries: %q", events)
		}
		kid, _, err := ts.Server.Admin().CallbackKey(ctx, ts.APIClientID)
		if err != nil || kid == "" || keyIDs[2] != kid {
			t.Fatalf("key ids %q, want %q (%v)", keyIDs, kid, err)
		}
		if outbox.Verify(ts.APIClientSecret, hdr, body, time.Now(), time.Minute) == nil {
			t.Fatal("the callback verifies with the API client's Basic-auth secret")
		}
		waitFor(t, "outbox drained", func() bool { return pending(t, ts) == 0 })
		// A second callback gets another event id; after a key rotation the
		// next one is signed with the new key under its new id.
		answerOne(t, ts, d, cb)
		waitFor(t, "second delivery", func() bool { return len(rcv.delivered()) == 2 })
		newKID, newKey, err := ts.Server.Admin().RotateCallbackKey(ctx, ts.APIClientID)
		if err != nil || newKID == kid {
			t.Fatal(err)
		}
		answerOne(t, ts, d, cb)
		waitFor(t, "third delivery", func() bool { rcv.mu.Lock(); defer rcv.mu.Unlock(); return len(rcv.got) == 2 && len(rcv.bad) >= 1 })
		rcv.mu.Lock()
		events, keyIDs, hdr, body = rcv.events, rcv.keyIDs, rcv.headers[len(rcv.headers)-1], rcv.bodies[len(rcv.bodies)-1]
		rcv.mu.Unlock()
		if events[3] == events[0] || events[4] == events[3] || keyIDs[4] != newKID {
			t.Fatalf("events %q key ids %q (new key id %q)", events, keyIDs, newKID)
		}
		if err := outbox.Verify(newKey, hdr, body, time.Now(), time.Minute); err != nil {
			t.Fatalf("after rotation: %v", err)
		}
	})
}

func pending(t *testing.T, ts *servertest.TestServer) int {
	var n int
	if err := ts.Server.Store().View(ctx, func(tx store.Tx) error {
		var err error
		n, err = tx.PendingCallbacks(ctx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// The retry budget ends: after MaxAttempts failures the row is given up.
func TestCallbackRetryBudget(t *testing.T) {
	var ts *servertest.TestServer
	rcv := newReceiver(t, 1000, func() string { return ts.CallbackKey })
	ts = servertest.Start(t, servertest.Options{Config: func(c *server.Config) { c.Callbacks.MaxAttempts = 3 }})
	cb := rcv.srv.URL + "/cb"
	ts.AllowCallback(cb)
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	answerOne(t, ts, d, cb)
	waitFor(t, "giving up", func() bool { return pending(t, ts) == 0 })
	time.Sleep(300 * time.Millisecond) // longer than the max back-off: no more attempts come
	if n := rcv.hits.Load(); n != 3 {
		t.Fatalf("attempts = %d, want 3", n)
	}
}

// The outbox is durable: callbacks queued while the receiver was down and the
// server stopped are delivered by the next server on the same store.
func TestCallbackSurvivesRestart(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		if o.StoreURL == "" {
			o.StoreURL = "sqlite:" + t.TempDir() + "/oma.db"
		}
		var secret atomic.Value
		rcv := newReceiver(t, 0, func() string { return secret.Load().(string) })
		cb := rcv.srv.URL + "/cb"
		// First server: its callbacks fail (the relying party is down) and are
		// retried with back-off until the server stops.
		o1 := o
		o1.Config = func(c *server.Config) { c.Callbacks.MaxAttempts = 1000; c.Callbacks.Timeout = 200 * time.Millisecond }
		ts := servertest.Start(t, o1)
		secret.Store(ts.CallbackKey)
		ts.AllowCallback(cb)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		rcv.srv.Close() // the relying party is down
		var ids []string
		for i := 0; i < 3; i++ {
			ids = append(ids, answerOne(t, ts, d, cb))
		}
		waitFor(t, "failed first attempts", func() bool {
			var tried int
			_ = ts.Server.Store().View(ctx, func(tx store.Tx) error {
				due, _ := tx.DueCallbacks(ctx, time.Now().Add(2*time.Hour).UnixMilli(), 10)
				for _, c := range due {
					if c.Attempts > 0 {
						tried++
					}
				}
				return nil
			})
			return tried == 3
		})
		ts.Close()
		// The relying party comes back on the same address; a new server starts.
		rcv2 := newReceiver(t, 0, func() string { return secret.Load().(string) })
		rcv2.srv.Close()
		ln := listenOn(t, rcv.srv.Listener.Addr().String())
		rcv2.srv = httptest.NewUnstartedServer(rcv2.srv.Config.Handler)
		rcv2.srv.Listener = ln
		rcv2.srv.Start()
		defer rcv2.srv.Close()
		ts2 := servertest.Start(t, o)
		if ts2.APIClientSecret != ts.APIClientSecret || ts2.CallbackKey != ts.CallbackKey {
			t.Fatal("restart changed the demo secret or callback key")
		}
		waitFor(t, "deliveries after restart", func() bool { return len(rcv2.delivered()) == 3 })
		seen := map[string]bool{}
		for _, b := range rcv2.delivered() {
			seen[b.TransactionID] = true
		}
		for _, id := range ids {
			if !seen[id] {
				t.Fatalf("callback for %s lost across the restart", id)
			}
		}
	})
}
