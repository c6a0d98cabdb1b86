package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// fuzzDispatcher has the built-ins plus methods that exercise every handler
// outcome: params echo, typed params, coded errors with data, plain errors,
// panics, events and unencodable results.
func fuzzDispatcher(sink Sink) *Dispatcher {
	d := New(Options{Sink: sink, MaxRequestSize: 512})
	_ = d.Register("echo", func(_ context.Context, c *Call) (any, error) {
		if !c.Params.Exists() || c.Params.Type == gjson.Null {
			return nil, nil
		}
		return RawJSON(c.Params.Raw), nil
	})
	_ = d.Register("typed", func(_ context.Context, c *Call) (any, error) {
		s, err := c.String("s")
		if err != nil {
			return nil, err
		}
		o, err := c.OptString("o")
		if err != nil {
			return nil, err
		}
		n, err := c.Int("n")
		if err != nil {
			return nil, err
		}
		b, err := c.Bool("b", true)
		if err != nil {
			return nil, err
		}
		l, err := c.StringSlice("l")
		if err != nil {
			return nil, err
		}
		return map[string]any{"s": s, "o": o, "n": n, "b": b, "l": l}, nil
	})
	_ = d.Register("fail", func(_ context.Context, c *Call) (any, error) {
		code := Code(c.Params.Get("code").Int())
		return nil, Errorf(code, "failed: %s", c.Params.Get("msg").String()).With("detail", c.Params.Get("detail").Value())
	})
	_ = d.Register("plain", func(context.Context, *Call) (any, error) { return nil, errors.New("plain") })
	_ = d.Register("panic", func(_ context.Context, c *Call) (any, error) { panic(c.Params.Get("v").Value()) })
	_ = d.Register("emit", func(_ context.Context, c *Call) (any, error) {
		c.Emit(c.Params.Get("type").String(), c.Params.Get("payload").Value())
		c.Emit("raw", RawJSON(c.Params.Get("payload").Raw))
		return true, nil
	})
	_ = d.Register("str", func(_ context.Context, c *Call) (any, error) { return c.Params.Get("v").String(), nil })
	_ = d.Register("bad", func(context.Context, *Call) (any, error) { return map[string]any{"c": make(chan int)}, nil })
	return d
}

// checkResponse asserts resp is one well-formed JSON-RPC 2.0 response to req.
func checkResponse(t *testing.T, req, resp string) {
	t.Helper()
	if !utf8.ValidString(resp) || !json.Valid([]byte(resp)) {
		t.Fatalf("response is not valid UTF-8 JSON: %q (request %q)", resp, req)
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(resp))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("response is not an object: %q", resp)
	}
	if string(m["jsonrpc"]) != `"2.0"` {
		t.Fatalf("jsonrpc is %s in %q", m["jsonrpc"], resp)
	}
	id, hasID := m["id"]
	if !hasID {
		t.Fatalf("no id in %q", resp)
	}
	_, hasResult := m["result"]
	rawErr, hasErr := m["error"]
	if hasResult == hasErr {
		t.Fatalf("want exactly one of result and error in %q", resp)
	}
	for k := range m {
		switch k {
		case "jsonrpc", "id", "result", "error":
		default:
			t.Fatalf("unexpected member %q in %q", k, resp)
		}
	}
	// The id is echoed verbatim when the request carried a usable one.
	if reqID := requestID(req); reqID != "" && string(id) != reqID {
		if hasResult || gjson.Get(resp, "error.code").Int() != int64(CodeBadParameters) {
			t.Fatalf("id %s answered as %s: %q", reqID, id, resp)
		}
	}
	if hasErr {
		var e struct {
			Code    *json.Number   `json:"code"`
			Message *string        `json:"message"`
			Data    map[string]any `json:"data"`
		}
		if err := json.Unmarshal(rawErr, &e); err != nil || e.Code == nil || e.Message == nil || *e.Message == "" {
			t.Fatalf("malformed error member in %q", resp)
		}
		c, err := e.Code.Int64()
		if err != nil {
			t.Fatalf("code is not an integer in %q", resp)
		}
		if _, known := codeIndex[Code(c)]; !known {
			t.Fatalf("code %d is not in the table: %q", c, resp)
		}
		if d, _ := e.Data["domain"].(string); d != Code(c).Domain() {
			t.Fatalf("domain %v for code %d in %q", e.Data["domain"], c, resp)
		}
	} else if string(id) == "null" {
		t.Fatalf("result without id: %q", resp)
	}
}

// requestID is the raw id a well-formed request carries ("" otherwise).
func requestID(req string) string {
	if !gjson.Valid(req) || !utf8.ValidString(req) {
		return ""
	}
	v := gjson.Get(req, "id")
	if !gjson.Parse(req).IsObject() || (v.Type != gjson.Number && v.Type != gjson.String) {
		return ""
	}
	return v.Raw
}

// checkEvent asserts msg is a well-formed event notification.
func checkEvent(t *testing.T, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) || !json.Valid([]byte(msg)) {
		t.Fatalf("event is not valid UTF-8 JSON: %q", msg)
	}
	var e struct {
		JSONRPC string         `json:"jsonrpc"`
		Method  string         `json:"method"`
		Params  map[string]any `json:"params"`
	}
	if err := json.Unmarshal([]byte(msg), &e); err != nil || e.JSONRPC != "2.0" || e.Method != "event" {
		t.Fatalf("malformed event %q", msg)
	}
	if _, ok := e.Params["type"].(string); !ok {
		t.Fatalf("event without type: %q", msg)
	}
}

var fuzzSeeds = []string{
	`{"jsonrpc":"2.0","id":1,"method":"ping"}`,
	`{"jsonrpc":"2.0","id":"abc","method":"getVersion","params":{}}`,
	`{"jsonrpc":"2.0","id":2,"method":"echo","params":{"a":[1,2,{"b":null}],"c":"\u00e9\n"}}`,
	`{"jsonrpc":"2.0","id":3,"method":"typed","params":{"s":"x","o":null,"n":42,"b":false,"l":["a","b"]}}`,
	`{"jsonrpc":"2.0","id":4,"method":"typed","params":{"s":1,"n":"x"}}`,
	`{"jsonrpc":"2.0","id":5,"method":"fail","params":{"code":8004,"msg":"wrong","detail":{"remainingFailureCount":2}}}`,
	`{"jsonrpc":"2.0","id":6,"method":"fail","params":{"code":12345}}`,
	`{"jsonrpc":"2.0","id":7,"method":"plain"}`,
	`{"jsonrpc":"2.0","id":8,"method":"panic","params":{"v":"boom"}}`,
	`{"jsonrpc":"2.0","id":9,"method":"emit","params":{"type":"T","payload":{"k":"v"}}}`,
	`{"jsonrpc":"2.0","id":10,"method":"emit","params":{"type":"T","payload":[1]}}`,
	`{"jsonrpc":"2.0","id":11,"method":"str","params":{"v":"<&>\u2028"}}`,
	`{"jsonrpc":"2.0","id":12,"method":"bad"}`,
	`{"jsonrpc":"2.0","id":-1.5e3,"method":"nope"}`,
	`{"jsonrpc":"2.0","method":"ping"}`,
	`{"jsonrpc":"2.0","id":null,"method":"ping"}`,
	`{"jsonrpc":"2.0","id":[1],"method":"ping"}`,
	`{"jsonrpc":"1.0","id":1,"method":"ping"}`,
	`{"jsonrpc":"2.0","id":1,"method":"ping","params":[]}`,
	`{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}`,
	`{"id":1,"method":"ping","jsonrpc":"2.0","extra":{"deep":[[[[]]]]}}`,
	`{"jsonrpc":"2.0","id":1,"method":"ping"`,
	`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`,
	`"just a string"`,
	``,
	`null`,
	"{\"jsonrpc\":\"2.0\",\"id\":\"\xff\",\"method\":\"ping\"}",
	`{"jsonrpc":"2.0","id":"` + strings.Repeat("x", 600) + `","method":"ping"}`,
	`{"jsonrpc":"2.0","id":1,"method":"echo","params":{"pad":"` + strings.Repeat("y", 600) + `"}}`,
	`  {"jsonrpc" : "2.0" , "id" : 01 , "method" : "ping"}  `,
	`{"jsonrpc":"2.0","id":"\ud800","method":"str","params":{"v":"\ud800\udc00"}}`,
}

// FuzzHandle checks that every input gets exactly one well-formed response, both
// through Handle and through HandleAsync, and that events stay well-formed.
func FuzzHandle(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	var mu sync.Mutex
	var out []string
	answered := make(chan struct{}, 16)
	d := fuzzDispatcher(func(m string) {
		mu.Lock()
		out = append(out, m)
		mu.Unlock()
		if gjson.Get(m, "method").String() != "event" {
			answered <- struct{}{}
		}
	})
	f.Cleanup(d.Close)
	take := func() []string {
		mu.Lock()
		defer mu.Unlock()
		m := out
		out = nil
		return m
	}
	f.Fuzz(func(t *testing.T, req string) {
		start := time.Now()
		resp := d.Handle(context.Background(), req)
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("Handle took %v for %q", el, req)
		}
		checkResponse(t, req, resp)
		for _, m := range take() { // events emitted by the synchronous call
			checkEvent(t, m)
		}
		// The asynchronous path answers exactly once too, with the same answer.
		d.HandleAsync(req)
		select {
		case <-answered:
		case <-time.After(5 * time.Second):
			t.Fatalf("no asynchronous answer to %q", req)
		}
		var responses []string
		for _, m := range take() {
			if gjson.Get(m, "method").String() == "event" {
				checkEvent(t, m)
			} else {
				responses = append(responses, m)
			}
		}
		select {
		case <-answered:
			t.Fatalf("a second asynchronous answer to %q", req)
		default:
		}
		if len(responses) != 1 {
			t.Fatalf("HandleAsync gave %d responses to %q: %q", len(responses), req, responses)
		}
		checkResponse(t, req, responses[0])
		if !sameShape(resp, responses[0]) {
			t.Fatalf("Handle and HandleAsync differ for %q:\n%s\n%s", req, resp, responses[0])
		}
	})
}

// sameShape compares two responses ignoring map member order inside error data.
func sameShape(a, b string) bool {
	if a == b {
		return true
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
