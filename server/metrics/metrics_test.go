package metrics

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The hot path records without allocating once a label set was seen.
func TestRecordingDoesNotAllocate(t *testing.T) {
	m := New()
	m.HTTP("POST /rp/v1/create", 200, time.Millisecond)
	m.TxCreated("login", MethodOTP)
	m.TxAnswered("login", MethodOTP, "accepted")
	limit := m.RateLimitCounter("claim_per_ip")
	route := strings.Clone("POST /rp/v1/create") // another string with the same bytes
	n := testing.AllocsPerRun(1000, func() {
		m.HTTP(route, 200, time.Millisecond)
		m.TxCreated("login", MethodOTP)
		m.TxAnswered("login", MethodOTP, "accepted")
		limit()
	})
	if n != 0 {
		t.Fatalf("%v allocations per recorded request, want 0", n)
	}
}

func TestNilMetricsIsSafe(t *testing.T) {
	var m *Metrics
	m.HTTP("x", 200, 0)
	m.TxCreated("a", "b")
	m.TxAnswered("a", "b", "c")
	m.TxExpired("a", "b", 1)
	m.Callback("delivered")
	m.RateLimited("x")
	m.StoreOp("view", 0)
	m.PushSent("fcm", "ok")
	m.SetOutboxDepth(nil)
	if m.RateLimitCounter("x") != nil || m.InstrumentStore(nil) != nil {
		t.Fatal("nil metrics returned something")
	}
}

func TestExposition(t *testing.T) {
	m := New()
	m.PushSent("fcm", "ok")
	m.HTTP("", 0, time.Second)
	m.SetOutboxDepth(func() (int, error) { return 7, nil })
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`oma_push_sends_total{provider="fcm",result="ok"} 1`,
		`oma_http_requests_total{code="200",route="unmatched"} 1`,
		"oma_outbox_depth 7",
		"# TYPE oma_http_request_duration_seconds histogram",
		"go_goroutines ",
		"oma_build_info{",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}

func BenchmarkHTTP(b *testing.B) {
	m := New()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.HTTP("POST /device/v1/mobile-auth/claim", 200, time.Millisecond)
	}
}
