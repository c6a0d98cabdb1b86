package bridge_test

// Benchmarks of a no-op call (ping) through the real bridge, and beside them the
// same envelope handled with encoding/json into map[string]any (the baseline the
// gjson dispatcher is measured against). Run:
//
//	go test -run '^$' -bench . -benchmem -count 5 ./bridge

import (
	"encoding/json"
	"testing"

	"github.com/openmobileauth/oma/bridge"
)

const pingRequest = `{"jsonrpc":"2.0","id":7,"method":"ping","params":{}}`
const pingResponse = `{"jsonrpc":"2.0","id":7,"result":{"pong":true}}`

// chanCallback hands every event and answer to a channel (the native side's
// thread hop). One value serves as the Start callback and as every call's
// Reply, as a native module's one reply object per call would.
type chanCallback chan string

func (c chanCallback) OnEvent(m string)                 { c <- m }
func (c chanCallback) OnResult(m string)                { c <- m }
func (c chanCallback) OnError(_ int, _, errJSON string) { c <- errJSON }

const pingResult = `{"pong":true}`

func startBench(b *testing.B, cb bridge.Callback) {
	b.Helper()
	if err := bridge.Start(`{"logLevel":"disabled"}`, cb, nil, nil, nil); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(bridge.Close)
}

// BenchmarkCallSyncPing: one synchronous no-op call through the bridge.
func BenchmarkCallSyncPing(b *testing.B) {
	startBench(b, chanCallback(make(chan string, 1)))
	if got := bridge.CallSync(pingRequest); got != pingResponse {
		b.Fatalf("ping answered %s", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(bridge.CallSync(pingRequest)) != len(pingResponse) {
			b.Fatal("bad answer")
		}
	}
}

// BenchmarkCallSyncPingParallel: synchronous no-op calls from all cores at once.
func BenchmarkCallSyncPingParallel(b *testing.B) {
	startBench(b, chanCallback(make(chan string, 1)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if len(bridge.CallSync(pingRequest)) != len(pingResponse) {
				b.Error("bad answer")
				return
			}
		}
	})
}

// BenchmarkInvokePing: one asynchronous no-op call, measured from Invoke until
// the result arrived through its Reply (round trip, one call in flight).
func BenchmarkInvokePing(b *testing.B) {
	ch := make(chan string, 1)
	startBench(b, chanCallback(ch))
	rp := chanCallback(ch)
	b.ReportAllocs()
	for b.Loop() {
		bridge.Invoke(pingRequest, rp)
		if m := <-ch; m != pingResult {
			b.Fatalf("bad answer %s", m)
		}
	}
}

// BenchmarkInvokePingPipelined: asynchronous calls with up to 256 in flight
// (throughput; ns/op is per answered call).
func BenchmarkInvokePingPipelined(b *testing.B) {
	ch := make(chan string, 256)
	startBench(b, chanCallback(ch))
	rp := chanCallback(ch)
	b.ReportAllocs()
	inFlight := 0
	for b.Loop() {
		if inFlight == cap(ch) {
			<-ch
			inFlight--
		}
		bridge.Invoke(pingRequest, rp)
		inFlight++
	}
	for ; inFlight > 0; inFlight-- {
		<-ch
	}
}

// BenchmarkEncodingJSONBaseline: the same envelope with encoding/json: decode into
// map[string]any, look the method up, build the response map and encode it.
func BenchmarkEncodingJSONBaseline(b *testing.B) {
	pong := map[string]any{"pong": true}
	handle := func(req string) string {
		var m map[string]any
		if err := json.Unmarshal([]byte(req), &m); err != nil {
			return `{"jsonrpc":"2.0","id":null,"error":{"code":8009}}`
		}
		if m["jsonrpc"] != "2.0" || m["method"] != "ping" {
			return `{"jsonrpc":"2.0","id":null,"error":{"code":8011}}`
		}
		if _, ok := m["params"].(map[string]any); !ok && m["params"] != nil {
			return `{"jsonrpc":"2.0","id":null,"error":{"code":8009}}`
		}
		out, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": m["id"], "result": pong})
		if err != nil {
			return ""
		}
		return string(out)
	}
	if got := handle(pingRequest); got != `{"id":7,"jsonrpc":"2.0","result":{"pong":true}}` {
		b.Fatalf("baseline answered %s", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(handle(pingRequest)) != len(pingResponse) {
			b.Fatal("bad answer")
		}
	}
}
