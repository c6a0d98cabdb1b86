package sdk_test

import (
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// BenchmarkOTPFlowEndToEnd runs whole OTP flows through the dispatcher
// envelope against the real server on loopback (relying-party create, handle,
// startAuthentication, accept, finishAuthentication) and reports the device
// round trips per flow counted by the server (must be 2).
func BenchmarkOTPFlowEndToEnd(b *testing.B) {
	// The per-client claim limit (1/s) would dominate; this measures the flow.
	ts := servertest.Start(b, servertest.Options{Config: func(c *server.Config) {
		c.Limits.ClaimPerClient = ratelimit.Limit{Rate: -1}
		c.Limits.ClaimPerIP = ratelimit.Limit{Rate: -1}
	}})
	a := newDevice(b)
	a.do(api.MethodStartClient, map[string]any{"serverUrl": ts.URL})
	register(a, ts.DemoUser, ts.DemoPassword)
	a.do(api.MethodEnrollMobileAuthentication, nil)
	ts.ResetCounters()
	n := 0
	for b.Loop() {
		_, otp := createOTP(b, ts, "Benchmark login", "")
		if _, code := answerOTP(a, otp, protocol.DecisionAccept); code != 0 {
			b.Fatalf("flow failed: %d", code)
		}
		a.clearEvents()
		n++
	}
	rt := float64(ts.DeviceRoundTrips()) / float64(n)
	b.ReportMetric(rt, "roundtrips/op")
	if rt != 2 {
		b.Fatalf("%.2f device round trips per OTP flow, want exactly 2", rt)
	}
}
