package server_test

import (
	"slices"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// BenchmarkPushCreateToShown measures, on loopback, the relying party's
// create → the Web Push arriving at the phone's push service (decrypted there)
// → the phone fetching the request by the pushed id: what the phone needs to
// show it. The claim and answer that free the user's slot run with the timer
// stopped. Reports the median and p95 in ms:
//
//	go test -run XX -bench BenchmarkPushCreateToShown -benchtime 100x ./server/
func BenchmarkPushCreateToShown(b *testing.B) {
	ts := pushServer(b, servertest.Options{}, func(c *server.Config) {
		c.PushBackoff = -1
		c.Limits.PushPollPerClient = ratelimit.Limit{Rate: -1}
		c.Limits.ClaimPerClient = ratelimit.Limit{Rate: -1}
		c.LogLevel = "error"
	})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	rcv := newPushReceiver(b)
	if _, err := d.RegisterPush(rcv.subscription("/bench")); err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		id, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Pay 25.00 EUR to Example Shop?")
		if err != nil {
			b.Fatal(err)
		}
		m := rcv.next(b)
		if _, err := d.PushRequest(m["og_transaction_id"]); err != nil || m["og_transaction_id"] != id {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		b.StopTimer()
		c, err := d.PushClaim(id)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
