package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/redact"
	"github.com/openmobileauth/oma/internal/testutil"

	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"
)

type msgLog struct {
	mu   sync.Mutex
	msgs []string
}

func (m *msgLog) sink(s string) {
	m.mu.Lock()
	m.msgs = append(m.msgs, s)
	m.mu.Unlock()
}

func (m *msgLog) all() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.msgs...)
}

func handle(d *Dispatcher, req string) string { return d.Handle(context.Background(), req) }

func TestEnvelopeEdgeCases(t *testing.T) {
	d := New(Options{MaxRequestSize: 256})
	defer d.Close()
	_ = d.Register("echo", func(_ context.Context, c *Call) (any, error) { return RawJSON(c.Params.Raw), nil })
	cases := []struct{ req, want string }{
		{`{"jsonrpc":"2.0","id":1,"method":"ping"}`, `{"jsonrpc":"2.0","id":1,"result":{"pong":true}}`},
		{` {"method":"ping" , "id" : "x" ,"jsonrpc":"2.0"} `, `{"jsonrpc":"2.0","id":"x","result":{"pong":true}}`},
		{`{"jsonrpc":"2.0","id":-1.5e3,"method":"ping"}`, `{"jsonrpc":"2.0","id":-1.5e3,"result":{"pong":true}}`},
		{`{"jsonrpc":"2.0","id":"\u00e9\"","method":"ping"}`, `{"jsonrpc":"2.0","id":"\u00e9\"","result":{"pong":true}}`},
		{`{"jsonrpc":"2.0","id":1,"method":"ping","params":null}`, `{"jsonrpc":"2.0","id":1,"result":{"pong":true}}`},
		{`{"jsonrpc":"2.0","id":1,"method":"ping","unknown":[1,{"x":2}]}`, `{"jsonrpc":"2.0","id":1,"result":{"pong":true}}`},
		{`{"jsonrpc":"2.0","id":2,"method":"echo","params":{"a":[1,"b",null]}}`, `{"jsonrpc":"2.0","id":2,"result":{"a":[1,"b",null]}}`},
		{`{"jsonrpc":"2.0","id":3,"method":"echo"}`, `{"jsonrpc":"2.0","id":3,"result":null}`},
		{`{"jsonrpc":"2.0","id":4,"method":"nope"}`, `{"jsonrpc":"2.0","id":4,"error":{"code":8011,"message":"unknown method \"nope\"","data":{"domain":"sdk"}}}`},
		{`{"jsonrpc":"2.0","id":5,"id":6,"method":"ping"}`, `{"jsonrpc":"2.0","id":5,"error":{"code":8009,"message":"request has more than one \"id\" member","data":{"domain":"sdk"}}}`},
		{`{"jsonrpc":"2.0","id":7,"method":"ping","method":"getVersion"}`, `{"jsonrpc":"2.0","id":7,"error":{"code":8009,"message":"request has more than one \"method\" member","data":{"domain":"sdk"}}}`},
		{`{"jsonrpc":"2.0","id":1,"method":"ping",}`, `{"jsonrpc":"2.0","id":null,"error":{"code":8009,"message":"request is not valid JSON","data":{"domain":"sdk"}}}`},
		{`{"jsonrpc":"2.0","id":1,"method":"ping"} {}`, `{"jsonrpc":"2.0","id":null,"error":{"code":8009,"message":"request is not valid JSON","data":{"domain":"sdk"}}}`},
		{`{"jsonrpc":"2.0","id":"big","method":"echo","params":{"p":"` + strings.Repeat("z", 300) + `"}}`, `{"jsonrpc":"2.0","id":"big","error":{"code":8009,"message":"request too large: 362 bytes, limit 256","data":{"domain":"sdk"}}}`},
		{`{"params":{"p":"` + strings.Repeat("z", 300) + `"},"jsonrpc":"2.0","id":9,"method":"echo"}`, `{"jsonrpc":"2.0","id":9,"error":{"code":8009,"message":"request too large: 358 bytes, limit 256","data":{"domain":"sdk"}}}`},
		{`{"jsonrpc":"2.0","id":10,"method":"` + strings.Repeat("m", 100) + `"}`, `{"jsonrpc":"2.0","id":10,"error":{"code":8011,"message":"unknown method \"` + strings.Repeat("m", 64) + `...\"","data":{"domain":"sdk"}}}`},
	}
	for _, c := range cases {
		if got := handle(d, c.req); got != c.want {
			t.Errorf("request %.80s\n got %s\nwant %s", c.req, got, c.want)
		}
	}
}

func TestResultEncoding(t *testing.T) {
	d := New(Options{})
	defer d.Close()
	results := map[string]any{
		"nil": nil, "raw": RawJSON(`[1,2]`), "emptyraw": RawJSON(nil), "true": true, "int": 42,
		"str": "a\"b\\c\n\r\t\x01<>&é", "badutf8": "a\xffb", "struct": struct {
			A int    `json:"a"`
			B string `json:"b,omitempty"`
		}{A: 1},
	}
	want := map[string]string{
		"nil": `null`, "raw": `[1,2]`, "emptyraw": `null`, "true": `true`, "int": `42`,
		"str": `"a\"b\\c\n\r\t\u0001\u003c\u003e\u0026é"`, "badutf8": `"a\ufffdb"`, "struct": `{"a":1}`,
	}
	for name, v := range results {
		_ = d.Register(name, func(context.Context, *Call) (any, error) { return v, nil })
		resp := handle(d, `{"jsonrpc":"2.0","id":1,"method":"`+name+`"}`)
		if !json.Valid([]byte(resp)) {
			t.Fatalf("%s: invalid JSON %s", name, resp)
		}
		if got := gjson.Get(resp, "result").Raw; got != want[name] {
			t.Errorf("%s: result %s, want %s", name, got, want[name])
		}
		// appendString agrees with encoding/json on the decoded value.
		if s, ok := v.(string); ok {
			var back string
			if err := json.Unmarshal([]byte(gjson.Get(resp, "result").Raw), &back); err != nil || (back != s && name != "badutf8") {
				t.Errorf("%s: round trip %q -> %q (%v)", name, s, back, err)
			}
		}
	}
}

func TestHandlerErrors(t *testing.T) {
	d := New(Options{})
	defer d.Close()
	_ = d.Register("coded", func(context.Context, *Call) (any, error) {
		return nil, Errorf(CodeWrongPin, "wrong PIN").With("remainingFailureCount", 2).With("domain", "ignored")
	})
	_ = d.Register("wrapped", func(context.Context, *Call) (any, error) {
		return nil, fmt.Errorf("context: %w", Errorf(CodeNotEnrolled, "not enrolled"))
	})
	_ = d.Register("plain", func(context.Context, *Call) (any, error) { return nil, errors.New("secret=hunter2") })
	_ = d.Register("outside", func(context.Context, *Call) (any, error) { return nil, Errorf(Code(4242), "odd code") })
	check := func(method string, code Code, msg string) string {
		t.Helper()
		resp := handle(d, `{"jsonrpc":"2.0","id":"e","method":"`+method+`"}`)
		if c := gjson.Get(resp, "error.code").Int(); c != int64(code) {
			t.Fatalf("%s: code %d, want %d: %s", method, c, code, resp)
		}
		if m := gjson.Get(resp, "error.message").String(); m != msg {
			t.Fatalf("%s: message %q, want %q", method, m, msg)
		}
		if dom := gjson.Get(resp, "error.data.domain").String(); dom != code.Domain() {
			t.Fatalf("%s: domain %q", method, dom)
		}
		return resp
	}
	resp := check("coded", CodeWrongPin, "wrong PIN")
	if gjson.Get(resp, "error.data.remainingFailureCount").Int() != 2 || strings.Contains(resp, "ignored") {
		t.Fatalf("data: %s", resp)
	}
	check("wrapped", CodeNotEnrolled, "not enrolled")
	resp = check("plain", CodeInternal, "internal error")
	if strings.Contains(resp, "hunter2") {
		t.Fatalf("cause leaked: %s", resp)
	}
	check("outside", CodeInternal, "odd code")
}

func TestPanickingHandler(t *testing.T) {
	var logBuf testutil.SyncBuffer
	lg := redact.NewLogger(&logBuf, zerolog.DebugLevel)
	ml := &msgLog{}
	d := New(Options{Logger: &lg, Sink: ml.sink})
	defer d.Close()
	_ = d.Register("boom", func(_ context.Context, c *Call) (any, error) {
		var m map[string]int
		m["x"] = 1 // nil map write: a runtime panic
		return nil, nil
	})
	_ = d.Register("boomValue", func(context.Context, *Call) (any, error) { panic(errors.New("token=abc123")) })
	_ = d.Register("boomNil", func(context.Context, *Call) (any, error) { panic(nil) })
	for _, m := range []string{"boom", "boomValue", "boomNil"} {
		resp := handle(d, `{"jsonrpc":"2.0","id":1,"method":"`+m+`"}`)
		want := `{"jsonrpc":"2.0","id":1,"error":{"code":8000,"message":"internal error in ` + m + `","data":{"domain":"sdk"}}}`
		if resp != want {
			t.Fatalf("%s: %s", m, resp)
		}
		d.HandleAsync(`{"jsonrpc":"2.0","id":2,"method":"` + m + `"}`)
	}
	waitMsgs(t, ml, 3)
	for _, m := range ml.all() {
		if gjson.Get(m, "error.code").Int() != 8000 || gjson.Get(m, "id").Int() != 2 {
			t.Fatalf("async panic answer %s", m)
		}
	}
	out := logBuf.String()
	if strings.Count(out, "handler panicked") != 6 || !strings.Contains(out, "assignment to entry in nil map") {
		t.Fatalf("panics not logged with their value: %s", out)
	}
	if strings.Contains(out, "abc123") {
		t.Fatalf("panic value with a token reached the log: %s", out)
	}
	if !strings.Contains(out, "dispatcher_test.go") {
		t.Fatalf("no stack in the log: %s", out)
	}
	// Still alive.
	if resp := handle(d, `{"jsonrpc":"2.0","id":3,"method":"ping"}`); !strings.Contains(resp, `"result"`) {
		t.Fatal(resp)
	}
}

func TestSinkPanicIsContained(t *testing.T) {
	var logBuf testutil.SyncBuffer
	lg := redact.NewLogger(&logBuf, zerolog.DebugLevel)
	d := New(Options{Logger: &lg, Sink: func(string) { panic("native side blew up") }})
	d.HandleAsync(`{"jsonrpc":"2.0","id":1,"method":"ping"}`)
	d.Emit("E", nil)
	d.Close()
	if !strings.Contains(logBuf.String(), "sink panicked") {
		t.Fatalf("sink panic not logged: %s", logBuf.String())
	}
}

func TestRegister(t *testing.T) {
	d := New(Options{})
	defer d.Close()
	h := func(context.Context, *Call) (any, error) { return nil, nil }
	if err := d.Register("ping", h); err == nil {
		t.Fatal("registering a built-in twice succeeded")
	}
	if err := d.Register("", h); err == nil {
		t.Fatal("empty name accepted")
	}
	if err := d.Register("x", nil); err == nil {
		t.Fatal("nil handler accepted")
	}
	if err := d.Register("x", h); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range d.Methods() {
		got[m] = true
	}
	if !got["ping"] || !got["getVersion"] || !got["x"] || len(got) != 3 {
		t.Fatalf("methods %v", d.Methods())
	}
}

func TestEvents(t *testing.T) {
	ml := &msgLog{}
	d := New(Options{Sink: ml.sink})
	defer d.Close()
	d.Emit("A", nil)
	d.Emit("B", map[string]any{"action": "open", "n": 1})
	d.Emit("C", RawJSON(`{"x":[1]}`))
	d.Emit("D", RawJSON(`{}`))
	d.Emit("E", struct {
		URL string `json:"url"`
	}{"https://x/?a=1&b=2"})
	d.Emit("F", map[string]any{"bad": make(chan int)}) // not encodable: dropped and logged
	d.Emit("G\"quoted", nil)
	want := []string{
		`{"jsonrpc":"2.0","method":"event","params":{"type":"A"}}`,
		`{"jsonrpc":"2.0","method":"event","params":{"type":"B","action":"open","n":1}}`,
		`{"jsonrpc":"2.0","method":"event","params":{"type":"C","x":[1]}}`,
		`{"jsonrpc":"2.0","method":"event","params":{"type":"D"}}`,
		`{"jsonrpc":"2.0","method":"event","params":{"type":"E","url":"https://x/?a=1\u0026b=2"}}`,
		`{"jsonrpc":"2.0","method":"event","params":{"type":"G\"quoted"}}`,
	}
	got := ml.all()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// No sink: Emit is a no-op, not a crash.
	New(Options{}).Emit("A", nil)
}

func TestHandleAsyncAndClose(t *testing.T) {
	ml := &msgLog{}
	d := New(Options{Sink: ml.sink})
	started := make(chan struct{})
	_ = d.Register("wait", func(ctx context.Context, c *Call) (any, error) {
		c.Emit("WAITING", nil)
		started <- struct{}{}
		<-ctx.Done()
		return nil, Errorf(CodeCancelled, "closed")
	})
	d.HandleAsync(`{"jsonrpc":"2.0","id":1,"method":"wait"}`)
	<-started
	if err := d.Context().Err(); err != nil {
		t.Fatal("context cancelled before Close")
	}
	d.Close()
	d.Close() // twice is fine
	msgs := ml.all()
	if len(msgs) != 2 || gjson.Get(msgs[1], "error.code").Int() != int64(CodeCancelled) {
		t.Fatalf("after Close: %q", msgs)
	}
	d.HandleAsync(`{"jsonrpc":"2.0","id":"late","method":"ping"}`)
	msgs = ml.all()
	if len(msgs) != 3 || msgs[2] != `{"jsonrpc":"2.0","id":"late","error":{"code":8020,"message":"SDK is closed","data":{"domain":"sdk"}}}` {
		t.Fatalf("call after Close: %q", msgs)
	}
}

func TestConcurrentHandleAsync(t *testing.T) {
	ml := &msgLog{}
	d := New(Options{Sink: ml.sink})
	const n = 2000
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < n; i += 8 {
				d.HandleAsync(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"ping"}`, i))
			}
		}(g)
	}
	wg.Wait()
	d.Close() // waits for every answer
	seen := make([]int, n)
	for _, m := range ml.all() {
		seen[gjson.Get(m, "id").Int()]++
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("id %d answered %d times", i, c)
		}
	}
}

func TestCodeTable(t *testing.T) {
	seen := map[Code]bool{}
	names := map[string]bool{}
	for _, c := range CodeTable() {
		if seen[c.Code] || names[c.Name] {
			t.Fatalf("duplicate code or name: %+v", c)
		}
		seen[c.Code], names[c.Name] = true, true
		if c.Domain == "" || c.Doc == "" || c.Name == "" {
			t.Fatalf("incomplete entry %+v", c)
		}
		if c.Code.Info() != c || c.Code.Domain() != c.Domain {
			t.Fatalf("lookup of %d", c.Code)
		}
	}
	for _, c := range []Code{CodeInternal, CodeBadParameters, CodeUnknownMethod, CodeNotStarted, CodeAlreadyStarted, CodeCancelled, CodeNotHandleable} {
		if !seen[c] {
			t.Fatalf("code %d missing from the table", c)
		}
	}
	if Code(1).Info().Code != CodeInternal {
		t.Fatal("unknown code does not map to internal")
	}
	tbl := CodeTable()
	tbl[0].Name = "changed"
	if CodeTable()[0].Name == "changed" {
		t.Fatal("CodeTable returns the table itself")
	}
}

func TestErrorHelpers(t *testing.T) {
	cause := errors.New("disk full")
	e := Wrap(CodeInternal, cause, "cannot save")
	if !errors.Is(e, cause) || e.Error() != "8000 sdk: cannot save" {
		t.Fatalf("Wrap: %v", e)
	}
	if CodeOf(nil) != 0 || CodeOf(cause) != CodeInternal || CodeOf(fmt.Errorf("x: %w", Errorf(CodeWrongPin, "w"))) != CodeWrongPin {
		t.Fatal("CodeOf")
	}
	if AsError(nil) != nil {
		t.Fatal("AsError(nil)")
	}
}

func waitMsgs(t *testing.T, ml *msgLog, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(ml.all()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("want %d messages, have %q", n, ml.all())
		}
		time.Sleep(time.Millisecond)
	}
}

// Blocked handlers never starve other asynchronous calls, and Close leaves no
// worker goroutine behind.
func TestAsyncWorkersDoNotStarve(t *testing.T) {
	before := runtime.NumGoroutine()
	got := make(chan string, 1000)
	d := New(Options{Sink: func(m string) { got <- m }})
	release := make(chan struct{})
	_ = d.Register("block", func(ctx context.Context, _ *Call) (any, error) {
		select {
		case <-release:
			return true, nil
		case <-ctx.Done():
			return nil, Errorf(CodeCancelled, "closed")
		}
	})
	blocked := maxIdleWorkers*2 + 10
	for i := 0; i < blocked; i++ {
		d.HandleAsync(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"block"}`, i))
	}
	for i := 0; i < 50; i++ {
		d.HandleAsync(`{"jsonrpc":"2.0","id":"p","method":"ping"}`)
		select {
		case m := <-got:
			if gjson.Get(m, "id").String() != "p" {
				t.Fatalf("unexpected answer %s", m)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("ping starved by blocked handlers")
		}
	}
	close(release)
	for i := 0; i < blocked; i++ {
		select {
		case m := <-got:
			if gjson.Get(m, "result").Raw != "true" {
				t.Fatalf("blocked call answered %s", m)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d blocked calls answered", i, blocked)
		}
	}
	d.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}
