package loadgen_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/loadgen"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// BenchmarkOTPFlow measures complete OTP transactions (create, claim, answer,
// fetch) against an in-process server on loopback, from parallel clients:
//
//	go test -run XXX -bench OTPFlow -benchtime 5s ./server/loadgen
//	scripts/pg.sh go test -run XXX -bench OTPFlow ./server/loadgen   # PostgreSQL too
//
// tx/s is the throughput of the whole run; ns/op is wall time per transaction
// divided by the parallelism. The production argon2 and callback settings are
// kept; only the rate limits a one-client load test would trip are off.
func BenchmarkOTPFlow(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchFlow(b, "") })
	b.Run("postgres", func(b *testing.B) {
		u, ok := servertest.PostgresStoreURL(b)
		if !ok {
			b.Skip("OMA_TEST_POSTGRES_URL not set")
		}
		benchFlow(b, u)
	})
}

func benchFlow(b *testing.B, storeURL string) {
	off := ratelimit.Limit{Rate: -1}
	ts := servertest.Start(b, servertest.Options{StoreURL: storeURL, Policy: server.PolicyMultiple, Config: func(c *server.Config) {
		c.LogLevel = "error"
		c.Argon2 = server.DefaultArgon2
		c.Limits = server.Limits{ClaimPerClient: off, ClaimPerIP: off, LoginPerUser: off, LoginPerIP: off, CreatePerAPIClient: off, RegisterPerIP: off}
	}})
	const nDev = 8
	for i := 0; i < nDev; i++ {
		ts.CreateUser(fmt.Sprintf("bench-%d", i), "bench-password")
	}
	ctx := context.Background()
	hc := loadgen.NewHTTPClient(64, 30*time.Second)
	devs, err := loadgen.SetupDevices(ctx, ts.URL, hc, nDev, 4, func(i int) (string, string) { return fmt.Sprintf("bench-%d", i), "bench-password" }, "97531")
	if err != nil {
		b.Fatal(err)
	}
	rp := loadgen.NewRP(ts.URL, hc, ts.APIClientID, ts.APIClientSecret)
	b.SetParallelism(4) // 4 x GOMAXPROCS clients
	b.ResetTimer()
	t0 := time.Now()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			dev := devs[next.Add(1)%nDev]
			if _, err := loadgen.Transaction(ctx, rp, dev, &loadgen.Plan{Type: ts.OTPType, Message: "bench", Bound: true}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "tx/s")
}
