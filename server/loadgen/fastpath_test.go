package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/fastpath"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestFastPathsEarnTheirPlace keeps the load generator's hot path honest:
// FastClient (the fasthttp transport with its hand-written request
// encoding and gjson answer decoding) must cost clearly less CPU per
// complete transaction than the same transactions over net/http and
// encoding/json with the software device (Plan.Fast nil), measured side by
// side against one real in-process server (alternating, median of 5 rounds;
// the server's share is the same in both, so the ratio understates the
// client's saving), or it should be deleted. Its hand-written codecs are
// measured against the library code they replace the same way (each behind
// TestEscapes and TestDecodeObject). It runs when OMA_FASTPATH_BENCH=1
// (scripts/test-go.sh sets it in a step without -race).
func TestFastPathsEarnTheirPlace(t *testing.T) {
	if !fastpath.Enabled() {
		t.Skip("set OMA_FASTPATH_BENCH=1 (without -race) to measure the fast paths (scripts/test-go.sh does)")
	}

	t.Run("client", func(t *testing.T) {
		off := ratelimit.Limit{Rate: -1}
		ts := servertest.Start(t, servertest.Options{Policy: server.PolicyMultiple, Config: func(c *server.Config) {
			c.LogLevel = "error"
			c.Limits = server.Limits{ClaimPerClient: off, ClaimPerIP: off, LoginPerUser: off, LoginPerIP: off, CreatePerAPIClient: off, RegisterPerIP: off}
		}})
		const nDev = 4
		for i := 0; i < nDev; i++ {
			ts.CreateUser(fmt.Sprintf("fp-%d", i), "fp-password")
		}
		ctx := context.Background()
		hc := NewHTTPClient(16, 10*time.Second)
		devs, err := SetupDevices(ctx, ts.URL, hc, nDev, nDev, func(i int) (string, string) { return fmt.Sprintf("fp-%d", i), "fp-password" }, "97531")
		if err != nil {
			t.Fatal(err)
		}
		fc, err := NewFastClient(ts.URL, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer fc.Close()
		rp := NewRP(ts.URL, hc, ts.APIClientID, ts.APIClientSecret)
		const n = 200
		cpuPerTx := func(fast *FastClient) float64 {
			before := processCPU(t)
			rep, err := Run(ctx, rp, devs, Plan{Fast: fast, Concurrency: 4, Count: n, Duration: time.Minute, Type: ts.OTPType, Bound: true})
			if err != nil || rep.OK != n {
				t.Fatalf("run (fast %v): %v %v", fast != nil, rep, err)
			}
			return float64(processCPU(t)-before) / n
		}
		// the hot path's encoding and decoding over net/http instead of
		// fasthttp: what the transport alone is worth
		hot := &FastClient{t: &netHTTPTransport{base: ts.URL, hc: hc}, timeout: 10 * time.Second}
		for _, c := range []*FastClient{fc, hot, nil} { // warm up (connections, caches)
			cpuPerTx(c)
		}
		var fastNs, hotNs, stdNs []float64
		for i := 0; i < 5; i++ {
			fastNs = append(fastNs, cpuPerTx(fc))
			hotNs = append(hotNs, cpuPerTx(hot))
			stdNs = append(stdNs, cpuPerTx(nil))
		}
		fm, hm, sm := fastpath.Median(fastNs), fastpath.Median(hotNs), fastpath.Median(stdNs)
		t.Logf("CPU per complete transaction, client and server in one process: fast client %.0f µs; its codecs over net/http %.0f µs (%.2fx); "+
			"net/http + encoding/json (software device) %.0f µs (%.2fx)", fm/1e3, hm/1e3, hm/fm, sm/1e3, sm/fm)
		if sm/fm < 1.05 {
			t.Errorf("the fast client no longer earns its place (%.2fx): delete it and use Plan.Fast = nil", sm/fm)
		}
		if hm/fm < 1.03 {
			t.Errorf("the fasthttp transport no longer earns its place (%.2fx against net/http): replace it by net/http", hm/fm)
		}
	})

	t.Run("codecs", func(t *testing.T) {
		claim := []byte(`{"transaction_id":"0123456789abcdef0123","type":"demo","message":"Log in to Example from loadgen","nonce":"n-0123456789abcdefghijklmnop","profile_id":"p-1"}`)
		var buf []byte
		var sink string
		// Measured side by side by internal/fastpath (alternating rounds,
		// medians, allocation counts), like the server's codecs.
		fastpath.Earn(t, []fastpath.Pair{
			{Name: "JSON string escaper", Fast: func() { buf = appendJSONString(buf[:0], "Log in to Example \"from\" loadgen") },
				Ref: func() { b, _ := json.Marshal("Log in to Example \"from\" loadgen"); buf = append(buf[:0], b...) }, MinRatio: 1.1},
			{Name: "form escaper", Fast: func() { buf = appendQueryEscape(buf[:0], "Log in to Example & co from loadgen") },
				Ref: func() { buf = append(buf[:0], url.QueryEscape("Log in to Example & co from loadgen")...) }, MinRatio: 1.1},
			{Name: "answer decoding (gjson)", Fast: func() {
				var tx, nonce string
				if decodeObject(claim, func(k string, v gjson.Result) bool {
					switch k {
					case "transaction_id":
						return jsonString(v, &tx)
					case "nonce":
						return jsonString(v, &nonce)
					}
					return true
				}) != nil {
					t.Fatal("decode")
				}
				sink = nonce
			}, Ref: func() {
				var c protocol.ClaimResponse
				if json.Unmarshal(claim, &c) != nil {
					t.Fatal("decode")
				}
				sink = c.Nonce
			}, MinRatio: 1.5},
		})
		_ = sink
	})
}

// netHTTPTransport is a hotTransport over net/http (the reference the
// fasthttp transport is measured against).
type netHTTPTransport struct {
	base string
	hc   *http.Client
}

func (n *netHTTPTransport) roundTrip(deadline time.Time, r *hotRequest, dst []byte) (int, []byte, error) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.method, n.base+string(r.path), bytes.NewReader(r.body))
	if err != nil {
		return 0, dst, err
	}
	if len(r.authorization) > 0 {
		req.Header.Set("Authorization", string(r.authorization))
	}
	if len(r.dpop) > 0 {
		req.Header.Set("DPoP", string(r.dpop))
	}
	if r.method != http.MethodGet {
		req.Header.Set("Content-Type", r.contentType)
	}
	resp, err := n.hc.Do(req)
	if err != nil {
		return 0, dst, err
	}
	defer resp.Body.Close()
	b := bytes.NewBuffer(dst)
	_, err = b.ReadFrom(io.LimitReader(resp.Body, maxBody))
	return resp.StatusCode, b.Bytes(), err
}

func (n *netHTTPTransport) close() {}

// processCPU is the CPU time (user + system) of this process so far, in ns.
func processCPU(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
