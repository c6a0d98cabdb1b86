package dispatch

// Benchmarks of the dispatcher's hot path and of its two hand-written JSON
// codecs against the straightforward code they replace (the request scanner
// against parseRequestRef, gjson's own object iteration; the string escaper
// against encoding/json). Side by side:
//
//	go test -run '^$' -bench . -benchmem -count 5 ./core/dispatch
//
// TestFastPathsEarnTheirPlace (run by scripts/test-go.sh) fails when a codec
// stops being clearly faster than its reference.

import (
	"context"
	"encoding/json"
	"testing"
)

const benchPing = `{"jsonrpc":"2.0","id":7,"method":"ping","params":{}}`

// A typical call with parameters: what submitPin or handleMobileAuthWithOtp get.
const benchTypedReq = `{"jsonrpc":"2.0","id":8,"method":"submit","params":{"flow":"Authentication","pin":"24680"}}`

type benchParams struct {
	Flow string `json:"flow" enum:"Create,Authentication"`
	Pin  string `json:"pin" oma:"nonempty"`
}

func benchDispatcher(b *testing.B) *Dispatcher {
	d := New(Options{})
	b.Cleanup(d.Close)
	if err := d.Register("submit", Typed("submit", func(_ context.Context, p benchParams) (None, error) {
		if p.Pin == "" {
			b.Fatal("not decoded")
		}
		return None{}, nil
	})); err != nil {
		b.Fatal(err)
	}
	if err := d.Register("submitUntyped", func(_ context.Context, c *Call) (any, error) {
		if _, err := c.String("flow"); err != nil {
			return nil, err
		}
		if _, err := c.String("pin"); err != nil {
			return nil, err
		}
		return nil, nil
	}); err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkHandlePing: a synchronous no-op call through the dispatcher.
func BenchmarkHandlePing(b *testing.B) {
	d := benchDispatcher(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if len(d.Handle(ctx, benchPing)) == 0 {
			b.Fatal("no answer")
		}
	}
}

// BenchmarkHandleTypedParams: a call whose params are decoded into a struct.
func BenchmarkHandleTypedParams(b *testing.B) {
	d := benchDispatcher(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := d.Handle(ctx, benchTypedReq); r != `{"jsonrpc":"2.0","id":8,"result":null}` {
			b.Fatal(r)
		}
	}
}

// BenchmarkHandleUntypedParams: the same call read with Call.String (the way
// handlers read params before core/api).
func BenchmarkHandleUntypedParams(b *testing.B) {
	d := benchDispatcher(b)
	ctx := context.Background()
	req := `{"jsonrpc":"2.0","id":8,"method":"submitUntyped","params":{"flow":"Authentication","pin":"24680"}}`
	b.ReportAllocs()
	for b.Loop() {
		if r := d.Handle(ctx, req); r != `{"jsonrpc":"2.0","id":8,"result":null}` {
			b.Fatal(r)
		}
	}
}

// BenchmarkParseRequest: the request scanner and its reference on the same envelope.
func BenchmarkParseRequest(b *testing.B) {
	for _, c := range []struct {
		name  string
		parse func(string, int) (request, *Error)
	}{{"scanner", parseRequest}, {"reference", parseRequestRef}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r, err := c.parse(benchTypedReq, DefaultMaxRequestSize); err != nil || r.method != "submit" {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchString is a typical string result or event field: an access token.
const benchString = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ1c2VyIiwiZXhwIjoxODAwMDAwMDAwfQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"

// BenchmarkAppendString: the envelope's string escaper and encoding/json.
func BenchmarkAppendString(b *testing.B) {
	b.Run("escaper", func(b *testing.B) {
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			buf = appendString(buf[:0], benchString)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			enc, _ := json.Marshal(benchString)
			buf = append(buf[:0], enc...)
		}
	})
}
