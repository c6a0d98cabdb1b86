package audit

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rs/zerolog"
)

// A Record writes the log record and hands the same fields to the sink.
func TestRecordSink(t *testing.T) {
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	var got []Event
	Start(Warn(&log, PinFailed), "warn", PinFailed, func(e Event) { got = append(got, e) }).
		Str("ip", "192.0.2.1").Int("failures", 2).Int64("until", 7).Bool("removed", false).Msg("wrong PIN")
	Start(Info(&log, Enrolled), "info", Enrolled, nil).Str("user_id", "u").Msg("enrolled") // no sink
	if len(got) != 1 {
		t.Fatalf("sink got %d events", len(got))
	}
	e := got[0]
	if e.Event != PinFailed || e.Level != "warn" || e.Message != "wrong PIN" || e.Time.IsZero() ||
		e.Fields["ip"] != "192.0.2.1" || e.Fields["failures"] != 2 || e.Fields["until"] != int64(7) || e.Fields["removed"] != false {
		t.Fatalf("event %+v", e)
	}
	var rec map[string]any
	if err := json.NewDecoder(&buf).Decode(&rec); err != nil || rec["ip"] != "192.0.2.1" || rec["failures"] != float64(2) || rec["event"] != PinFailed {
		t.Fatalf("log record %v %v", rec, err)
	}
}
