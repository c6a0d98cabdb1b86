package rp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/openmobileauth/oma/server/httpio"
)

// MaxWait is the longest long poll.
const MaxWait = 30

// pollEvery bounds how long a waiter goes without re-reading the store (to see
// answers recorded by another server instance, and expiry).
const pollEvery = 500 * time.Millisecond

// fetch: GET PathTransaction{id}[?wait=N].
func (h *Handler) fetch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		methodNotAllowed(w, http.MethodGet)
		return
	}
	c, e := h.authenticate(r)
	if e != nil {
		httpio.WriteRPError(w, e)
		return
	}
	wait := 0
	if ws := r.URL.Query().Get("wait"); ws != "" {
		n, err := strconv.Atoi(ws)
		if err != nil || n < 0 || n > MaxWait {
			httpio.WriteRPError(w, invalid(fmt.Sprintf("wait must be an integer from 0 to %d", MaxWait)))
			return
		}
		wait = n
	}
	id := r.PathValue("id")
	if len(id) > 128 {
		httpio.WriteRPError(w, errTxNotFound)
		return
	}
	ctx := r.Context()
	deadline := time.Now().Add(time.Duration(wait) * time.Second)
	if wait > 0 {
		// The server's read and write timeouts are shorter than a poll may
		// wait: lift the read deadline (it would cancel the request) and move
		// the write deadline past this poll's end.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(deadline.Add(10 * time.Second))
	}
	for {
		var changed <-chan struct{}
		release := func() {}
		if wait > 0 {
			changed, release = h.env.Hub.Subscribe(id) // before reading: no lost wake-up
		}
		t, e := h.load(ctx, c, id)
		left := time.Until(deadline)
		if e != nil || Final(t.Status) || left <= 0 {
			release()
			if e != nil {
				httpio.WriteRPError(w, e)
			} else {
				httpio.WriteJSON(w, http.StatusOK, t)
			}
			return
		}
		timer := time.NewTimer(min(left, pollEvery))
		select {
		case <-ctx.Done():
		case <-changed:
		case <-timer.C:
		case <-h.env.Stopping:
			deadline = time.Now() // answer with the current state, now
		}
		timer.Stop()
		release()
		if ctx.Err() != nil {
			return
		}
	}
}

// events: GET PathTransaction{id}/events — server-sent events, one
// "transaction" event per state change, until a final state or 5 minutes.
func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		methodNotAllowed(w, http.MethodGet)
		return
	}
	c, e := h.authenticate(r)
	if e != nil {
		httpio.WriteRPError(w, e)
		return
	}
	id := r.PathValue("id")
	ctx := r.Context()
	t, e := h.load(ctx, c, id)
	if e != nil {
		httpio.WriteRPError(w, e)
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // the stream outlives the server's read timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	end := time.Now().Add(5 * time.Minute)
	last := ""
	heartbeat := time.Now()
	for {
		_ = rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if b, _ := json.Marshal(t); string(b) != last {
			last = string(b)
			if _, err := fmt.Fprintf(w, "event: transaction\ndata: %s\n\n", b); err != nil {
				return
			}
			heartbeat = time.Now()
		} else if time.Since(heartbeat) > 15*time.Second {
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			heartbeat = time.Now()
		}
		if err := rc.Flush(); err != nil || Final(t.Status) || time.Now().After(end) || stopping(h.env.Stopping) {
			return
		}
		changed, release := h.env.Hub.Subscribe(id)
		timer := time.NewTimer(pollEvery)
		select {
		case <-ctx.Done():
		case <-changed:
		case <-timer.C:
		case <-h.env.Stopping:
		}
		timer.Stop()
		release()
		if ctx.Err() != nil {
			return
		}
		if t, e = h.load(ctx, c, id); e != nil {
			return
		}
	}
}

func stopping(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
