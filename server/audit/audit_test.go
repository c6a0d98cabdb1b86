package audit

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rs/zerolog"
)

// Records carry audit=true, the event name and the level a pipeline routes
// on.
func TestRecords(t *testing.T) {
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	Warn(&log, PinFailed).Str("ip", "192.0.2.1").Msg("wrong PIN")
	Info(&log, Enrolled).Msg("enrolled")
	dec := json.NewDecoder(&buf)
	for _, want := range []struct{ level, event string }{{"warn", "pin_failed"}, {"info", "enrolled"}} {
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			t.Fatal(err)
		}
		if rec["audit"] != true || rec["event"] != want.event || rec["level"] != want.level {
			t.Fatalf("record %v, want audit=true event=%s level=%s", rec, want.event, want.level)
		}
	}
	if dec.More() {
		t.Fatal("more records than written")
	}
}
