// Command loadgen measures the Token Server: it enrolls N simulated devices
// through the real protocol (client registration, browser login through the
// login form, token exchange with a new PIN, CSR enrollment), then runs
// complete OTP transactions — the relying party creates a request (v4 API),
// a device claims it and answers it with a signed accept, the relying party
// fetches the result — and reports complete transactions per second, latency
// percentiles of a whole transaction (p50/p90/p99/max), errors by kind, and
// the CPU time per transaction.
//
// Against a running server:
//
//	loadgen --url http://127.0.0.1:8080 --api-client demo-rp --secret S \
//	        --user-prefix lg- --password PW --devices 16 --concurrency 16 --duration 10s
//
// Or let it start the server on a chosen store, with the rate limits that a
// single-IP, single-client load test would trip turned off (in-process, or the
// real binary as a subprocess with --subprocess PATH):
//
//	loadgen --serve sqlite   --concurrency 16 --duration 10s        # closed model: max throughput
//	loadgen --serve sqlite   --rate 500 --duration 10s              # open model: latency at a fixed rate
//	scripts/pg.sh loadgen --serve postgres --concurrency 16         # PostgreSQL (OMA_TEST_POSTGRES_URL)
//
// The open model (--rate) starts transactions on a fixed schedule whatever the
// server does and measures latency from the scheduled start, so queueing is not
// hidden (no coordinated omission). --cpuprofile and --pprof profile the run
// (in-process mode profiles the server too).
//
// --client chooses the HTTP client of the measured transactions. fast (the
// default) is fasthttp's HostClient (server/loadgen transport.go and
// fast.go): each request runs on the calling goroutine over a pooled
// keep-alive connection, request bodies, proofs and paths are built in reused
// buffers, answers are decoded with gjson (the whole body validated), errors
// are never retried, and timeouts are connection deadlines. std is net/http's
// client, as before, for comparison. Both make every DPoP proof fresh (new
// jti, current iat, new ECDSA signature), sign every answer over the claim's
// nonce and message hash, and check every answer (the claim's and the
// fetch's transaction id, the accept, is_authenticated); fast only costs the
// load generator less CPU (about 40 % less per transaction on this machine),
// which leaves more of a shared machine to the server under test. fast signs
// with RFC 6979 deterministic ECDSA (a new signature for every message, its
// nonce derived from key and digest instead of from crypto/rand: ~10 % of
// the load generator's CPU less; the server's verification is the same);
// std keeps randomized signatures. Device set-up always uses net/http.
//
// The figures only mean something
// on an otherwise idle machine: the report prints the load average. The
// process runs with GOGC=400 unless GOGC is set (as the tokenserver).
package main
