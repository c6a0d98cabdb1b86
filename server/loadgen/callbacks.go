package loadgen

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openmobileauth/oma/server/outbox"
)

// Receiver is a relying party's callback endpoint on 127.0.0.1: it counts
// the callbacks it accepts per transaction id. It can be made to fail the
// first deliveries (HTTP 503) and to answer slowly, so that a server's outbox
// holds pending rows.
type Receiver struct {
	srv      *http.Server
	ln       net.Listener
	URL      string // the callback URI to give the server
	failLeft atomic.Int64
	secret   atomic.Pointer[string]
	delay    atomic.Int64 // nanoseconds

	mu        sync.Mutex
	delivered map[string]int // transaction id -> accepted deliveries
	attempts  atomic.Int64
	inFlight  atomic.Int64
	bad       atomic.Int64 // bodies that were not a {callback_uri, transaction_id} object
	changed   chan struct{}
}

// NewReceiver starts a receiver on 127.0.0.1 (a free port) at path /callback.
func NewReceiver() (*Receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Receiver{ln: ln, URL: "http://" + ln.Addr().String() + "/callback", delivered: map[string]int{}, changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /callback", r.handle)
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

// RequireSignature makes the receiver refuse (401, counted as bad) callbacks
// whose X-OMA-Signature is not the HMAC under the API client's callback key.
func (r *Receiver) RequireSignature(callbackKey string) { r.secret.Store(&callbackKey) }

// FailNext makes the next n deliveries fail with 503.
func (r *Receiver) FailNext(n int) { r.failLeft.Store(int64(n)) }

// SetDelay makes every delivery wait d before answering.
func (r *Receiver) SetDelay(d time.Duration) { r.delay.Store(int64(d)) }

func (r *Receiver) handle(w http.ResponseWriter, req *http.Request) {
	r.attempts.Add(1)
	r.inFlight.Add(1)
	defer r.inFlight.Add(-1)
	body, err := io.ReadAll(io.LimitReader(req.Body, 64<<10))
	if d := time.Duration(r.delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-req.Context().Done():
			return
		}
	}
	if r.failLeft.Add(-1) >= 0 {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	var cb struct {
		CallbackURI   string `json:"callback_uri"`
		TransactionID string `json:"transaction_id"`
	}
	if sec := r.secret.Load(); sec != nil && err == nil {
		if outbox.Verify(*sec, req.Header, body, time.Now(), 5*time.Minute) != nil {
			r.bad.Add(1)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
	}
	if err != nil || json.Unmarshal(body, &cb) != nil || cb.TransactionID == "" {
		r.bad.Add(1)
		http.Error(w, "bad callback body", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.delivered[cb.TransactionID]++
	ch := r.changed
	r.changed = make(chan struct{})
	r.mu.Unlock()
	close(ch)
	w.WriteHeader(http.StatusNoContent)
}

// Delivered returns a copy of the accepted deliveries per transaction id.
func (r *Receiver) Delivered() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.delivered))
	for k, v := range r.delivered {
		out[k] = v
	}
	return out
}

// Attempts is the number of requests received (including failed ones).
func (r *Receiver) Attempts() int64 { return r.attempts.Load() }

// InFlight is the number of deliveries being received right now.
func (r *Receiver) InFlight() int64 { return r.inFlight.Load() }

// BadBodies is the number of requests whose body was not a callback or whose
// signature did not verify.
func (r *Receiver) BadBodies() int64 { return r.bad.Load() }

// WaitFor waits until every id in ids was delivered at least once or timeout
// passes, and returns the ids still missing.
func (r *Receiver) WaitFor(ids []string, timeout time.Duration) (missing []string) {
	deadline := time.Now().Add(timeout)
	for {
		r.mu.Lock()
		missing = missing[:0]
		for _, id := range ids {
			if r.delivered[id] == 0 {
				missing = append(missing, id)
			}
		}
		ch := r.changed
		r.mu.Unlock()
		left := time.Until(deadline)
		if len(missing) == 0 || left <= 0 {
			return missing
		}
		select {
		case <-ch:
		case <-time.After(left):
		}
	}
}

// Close stops the receiver.
func (r *Receiver) Close() error { return r.srv.Close() }
