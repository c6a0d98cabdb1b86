package demo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// pollWait is how long each long poll of the relying-party API waits.
const pollWait = 25 * time.Second

// events streams a transaction's status changes as server-sent events: an
// "status" event with a statusView each time the status changes, ending with
// the final one, then the stream closes. Failures to reach the relying-party
// API are sent as "problem" events and retried after a pause. EventSource
// reconnects by itself when the connection drops; a reconnect sends the
// current status at once.
func (d *Demo) events(w http.ResponseWriter, r *http.Request) {
	ss, t, ok := d.ownTx(w, r)
	if !ok {
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v any) bool {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// Ask the browser to wait 2 s before reconnecting after a drop.
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil {
		return
	}
	ctx := r.Context()
	last := ""
	wait := time.Duration(0) // the first fetch answers at once
	for {
		v, err := d.observe(ctx, ss, t, wait)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			d.log.Error().Err(err).Msg("demo: waiting for a transaction failed")
			if !send("problem", map[string]string{"error": userMessage(err, "lost contact with the server")}) {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
			}
			continue
		}
		if v.Status != last {
			last = v.Status
			if !send("status", v) {
				return
			}
		} else if _, err := fmt.Fprint(w, ": still waiting\n\n"); err != nil || rc.Flush() != nil {
			return
		}
		if v.Final {
			return
		}
		wait = pollWait
	}
}
