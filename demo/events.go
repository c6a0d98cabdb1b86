package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// pollWait is how long each long poll of the relying-party API waits.
const pollWait = 25 * time.Second

// events streams a transaction's status changes to the page as server-sent
// events: a "status" event with a statusView each time the status changes,
// ending with the final one, then the stream closes.
//
// Upstream, the backend follows the relying-party API's event stream
// (GET .../transaction/{id}/events), which reports every change, "claimed"
// included. When the server has none (or Config.LongPollOnly is set), or when
// that stream breaks, it long-polls GET .../transaction/{id}?wait=25, which
// returns at once on a final status ("claimed" then shows up at the next
// poll). Failures to reach the server are sent as "problem" events and
// retried after a pause. EventSource reconnects by itself when the connection
// drops; a reconnect sends the current status at once.
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
	write := func(s string) bool {
		if _, err := fmt.Fprint(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	last := ""
	// emit sends v when its status is new; false when the page is gone.
	emit := func(v statusView) bool {
		if v.Status == last {
			return write(": still waiting\n\n")
		}
		last = v.Status
		b, _ := json.Marshal(v)
		return write("event: status\ndata: " + string(b) + "\n\n")
	}
	problem := func(err error) bool {
		d.log.Error().Err(err).Msg("demo: waiting for a transaction failed")
		b, _ := json.Marshal(map[string]string{"error": userMessage(err, "lost contact with the server")})
		return write("event: problem\ndata: " + string(b) + "\n\n")
	}
	// Ask the browser to wait 2 s before reconnecting after a drop.
	if !write("retry: 2000\n\n") {
		return
	}
	ctx := r.Context()

	if !d.cfg.LongPollOnly {
		finished := false
		err := d.rp.watch(ctx, t.id, func(got *transaction) bool {
			v := d.view(ss, t, got)
			finished = !emit(v) || v.Final
			return !finished
		})
		if finished || ctx.Err() != nil {
			return
		}
		if err != nil && !errors.Is(err, errNoEvents) {
			d.log.Warn().Err(err).Msg("demo: the transaction event stream ended; long-polling instead")
		}
	}

	wait := time.Duration(0) // the first fetch answers at once
	for {
		v, err := d.observe(ctx, ss, t, wait)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if !problem(err) {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
			}
			continue
		}
		if !emit(v) || v.Final {
			return
		}
		wait = pollWait
	}
}
