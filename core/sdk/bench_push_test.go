package sdk_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
)

// BenchmarkPushCreateToShown: the relying party's create → the Web Push
// decrypted at the phone's loopback push service → the data handed to the
// SDK core (through the dispatcher envelope) → the core claims the request
// and emits startAuthentication with the message: the moment the phone shows
// it. The deny that frees the user's slot runs with the timer stopped.
// Reports the median and p95 in ms:
//
//	go test -run XX -bench BenchmarkPushCreateToShown -benchtime 100x ./core/sdk/
func BenchmarkPushCreateToShown(b *testing.B) {
	ts := pushTestServer(b, func(c *server.Config) {
		c.Limits.ClaimPerClient = ratelimit.Limit{Rate: -1}
		c.Limits.ClaimPerIP = ratelimit.Limit{Rate: -1}
		c.LogLevel = "error"
	})
	a := newDevice(b)
	start(a, ts)
	register(a, ts.DemoUser, ts.DemoPassword)
	a.do(api.MethodEnrollMobileAuthentication, nil)
	sub, got := pushService(b)
	a.do(api.MethodEnrollUserForMobileAuthWithPush, map[string]any{"webPushSubscription": sub})
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, _, err := ts.CreatePushRequest(b.Context(), e2ePushType, ts.DemoUserID, "Pay 25.00 EUR to Example Shop"); err != nil {
			b.Fatal(err)
		}
		data := <-got
		h := a.call(api.MethodHandleMobileAuthWithPushRequest, map[string]any{"data": json.RawMessage(data)})
		a.event(api.EventMobileAuthOtp, api.ActionStartAuthentication)
		lat = append(lat, time.Since(t0))
		b.StopTimer()
		a.do(api.MethodDenyMobileAuthConfirmation, nil)
		if c := h.code(); c != 9006 {
			b.Fatalf("deny: %d", c)
		}
		a.event(api.EventMobileAuthOtp, api.ActionFinishAuthentication)
		a.clearEvents()
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
