package bridge_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/bridge"
	"github.com/openmobileauth/oma/core/dispatch"
)

func TestPingSyncAndAsync(t *testing.T) {
	r := start(t, "")
	if got := wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":1,"method":"ping"}`), "1"); got != `{"pong":true}` {
		t.Fatalf("ping result %s", got)
	}
	r.invoke(`{"jsonrpc":"2.0","id":"a-2","method":"ping","params":{}}`)
	msgs := r.waitFor(t, 1)
	if got := wantResult(t, msgs[0], `"a-2"`); got != `{"pong":true}` {
		t.Fatalf("async ping result %s", got)
	}
	v := wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":3,"method":"getVersion"}`), "3")
	var ver struct {
		Version  string `json:"version"`
		Protocol int    `json:"protocol"`
	}
	if err := json.Unmarshal([]byte(v), &ver); err != nil || ver.Version != bridge.Version() || ver.Protocol < 1 {
		t.Fatalf("getVersion: %s (%v), bridge.Version()=%s", v, err, bridge.Version())
	}
	if !bridge.IsStarted() {
		t.Fatal("IsStarted false while started")
	}
}

func TestErrorEnvelopes(t *testing.T) {
	start(t, "")
	cases := []struct {
		name string
		req  string
		id   string
		code dispatch.Code
	}{
		{"unknown method", `{"jsonrpc":"2.0","id":1,"method":"noSuchMethod"}`, "1", dispatch.CodeUnknownMethod},
		{"unknown method string id", `{"jsonrpc":"2.0","id":"x","method":"noSuchMethod","params":{}}`, `"x"`, dispatch.CodeUnknownMethod},
		{"malformed JSON", `{"jsonrpc":"2.0","id":1,"method":"ping"`, "null", dispatch.CodeBadParameters},
		{"garbage", `hello`, "null", dispatch.CodeBadParameters},
		{"empty", ``, "null", dispatch.CodeBadParameters},
		{"whitespace", " \n\t", "null", dispatch.CodeBadParameters},
		{"array", `[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, "null", dispatch.CodeBadParameters},
		{"number", `42`, "null", dispatch.CodeBadParameters},
		{"params array", `{"jsonrpc":"2.0","id":2,"method":"ping","params":[1,2]}`, "2", dispatch.CodeBadParameters},
		{"params string", `{"jsonrpc":"2.0","id":3,"method":"ping","params":"x"}`, "3", dispatch.CodeBadParameters},
		{"params number", `{"jsonrpc":"2.0","id":4,"method":"ping","params":5}`, "4", dispatch.CodeBadParameters},
		{"method number", `{"jsonrpc":"2.0","id":5,"method":7}`, "5", dispatch.CodeBadParameters},
		{"method empty", `{"jsonrpc":"2.0","id":6,"method":""}`, "6", dispatch.CodeBadParameters},
		{"method missing", `{"jsonrpc":"2.0","id":7}`, "7", dispatch.CodeBadParameters},
		{"jsonrpc missing", `{"id":8,"method":"ping"}`, "8", dispatch.CodeBadParameters},
		{"jsonrpc 1.0", `{"jsonrpc":"1.0","id":9,"method":"ping"}`, "9", dispatch.CodeBadParameters},
		{"jsonrpc number", `{"jsonrpc":2.0,"id":10,"method":"ping"}`, "10", dispatch.CodeBadParameters},
		{"missing id", `{"jsonrpc":"2.0","method":"ping"}`, "null", dispatch.CodeBadParameters},
		{"null id", `{"jsonrpc":"2.0","id":null,"method":"ping"}`, "null", dispatch.CodeBadParameters},
		{"object id", `{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}`, "null", dispatch.CodeBadParameters},
		{"bool id", `{"jsonrpc":"2.0","id":true,"method":"ping"}`, "null", dispatch.CodeBadParameters},
		{"invalid UTF-8", "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"p\xffing\"}", "11", dispatch.CodeBadParameters},
		{"invalid UTF-8 in id", "{\"jsonrpc\":\"2.0\",\"id\":\"\xfe\",\"method\":\"ping\"}", "null", dispatch.CodeBadParameters},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, bridge.CallSync(c.req), c.id, c.code)
		})
	}
}

func TestOversizedInput(t *testing.T) {
	start(t, "")
	big := `{"jsonrpc":"2.0","id":77,"method":"ping","params":{"pad":"` + strings.Repeat("a", dispatch.DefaultMaxRequestSize) + `"}}`
	e := wantError(t, bridge.CallSync(big), "77", dispatch.CodeBadParameters)
	if !strings.Contains(e.Error.Message, "too large") {
		t.Fatalf("message %q does not say the request is too large", e.Error.Message)
	}
	// Just under the limit is fine.
	fits := `{"jsonrpc":"2.0","id":78,"method":"ping","params":{"pad":"` + strings.Repeat("a", dispatch.DefaultMaxRequestSize-100) + `"}}`
	wantResult(t, bridge.CallSync(fits), "78")
}

func TestConfiguredRequestLimit(t *testing.T) {
	r := start(t, `{"maxRequestSize":1024}`)
	req := `{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"` + strings.Repeat("b", 2000) + `"}}`
	wantError(t, bridge.CallSync(req), `"big"`, dispatch.CodeBadParameters)
	r.invoke(req)
	wantError(t, r.waitFor(t, 1)[0], `"big"`, dispatch.CodeBadParameters)
}

// registerTestMethods adds test-only methods to the running core.
func registerTestMethods(t *testing.T) {
	t.Helper()
	d := bridge.DispatcherForTest()
	if d == nil {
		t.Fatal("no running core")
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.Register("test.emit", func(_ context.Context, c *dispatch.Call) (any, error) {
		n, err := c.Int("n")
		if err != nil {
			return nil, err
		}
		for i := int64(0); i < n; i++ {
			c.Emit("TEST_EVENT", map[string]any{"seq": i, "action": "open"})
		}
		return map[string]any{"emitted": n}, nil
	}))
	must(d.Register("test.emitTag", func(_ context.Context, c *dispatch.Call) (any, error) {
		tag, err := c.String("tag")
		if err != nil {
			return nil, err
		}
		n, err := c.Int("n")
		if err != nil {
			return nil, err
		}
		for i := int64(0); i < n; i++ {
			c.Emit("TEST_EVENT", map[string]any{"tag": tag, "seq": i})
		}
		return map[string]any{"tag": tag}, nil
	}))
	must(d.Register("test.greet", func(_ context.Context, c *dispatch.Call) (any, error) {
		name, err := c.String("name")
		if err != nil {
			return nil, err
		}
		times, err := c.Int("times")
		if err != nil {
			return nil, err
		}
		loud, err := c.Bool("loud", false)
		if err != nil {
			return nil, err
		}
		tags, err := c.StringSlice("tags")
		if err != nil {
			return nil, err
		}
		return map[string]any{"name": name, "times": times, "loud": loud, "tags": tags}, nil
	}))
	must(d.Register("test.panic", func(context.Context, *dispatch.Call) (any, error) {
		panic("boom with otp=123456")
	}))
	must(d.Register("test.plainError", func(context.Context, *dispatch.Call) (any, error) {
		return nil, errors.New("database password hunter2 rejected")
	}))
	must(d.Register("test.codedError", func(context.Context, *dispatch.Call) (any, error) {
		return nil, dispatch.Errorf(dispatch.CodeWrongPin, "wrong PIN").With("remainingFailureCount", 2)
	}))
	must(d.Register("test.unencodable", func(context.Context, *dispatch.Call) (any, error) {
		return map[string]any{"f": func() {}}, nil
	}))
	must(d.Register("test.wait", func(ctx context.Context, c *dispatch.Call) (any, error) {
		<-ctx.Done()
		return nil, dispatch.Errorf(dispatch.CodeCancelled, "closed while waiting")
	}))
}

func TestWrongParamTypes(t *testing.T) {
	start(t, "")
	registerTestMethods(t)
	ok := wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":1,"method":"test.greet","params":{"name":"ann","times":2,"tags":["a","b"]}}`), "1")
	if ok != `{"loud":false,"name":"ann","tags":["a","b"],"times":2}` {
		t.Fatalf("greet result %s", ok)
	}
	cases := []struct{ params, mention string }{
		{`{}`, `"name" is missing`},
		{`{"name":5,"times":1}`, `"name" must be a string`},
		{`{"name":null,"times":1}`, `"name"`},
		{`{"name":"a"}`, `"times" is missing`},
		{`{"name":"a","times":"2"}`, `"times" must be an integer`},
		{`{"name":"a","times":2.5}`, `"times" must be an integer`},
		{`{"name":"a","times":1,"loud":"yes"}`, `"loud" must be a boolean`},
		{`{"name":"a","times":1,"tags":"a"}`, `"tags" must be an array of strings`},
		{`{"name":"a","times":1,"tags":["a",1]}`, `"tags" must be an array of strings`},
	}
	for i, c := range cases {
		id := fmt.Sprint(100 + i)
		e := wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":`+id+`,"method":"test.greet","params":`+c.params+`}`), id, dispatch.CodeBadParameters)
		if !strings.Contains(e.Error.Message, c.mention) {
			t.Errorf("params %s: message %q does not mention %s", c.params, e.Error.Message, c.mention)
		}
	}
	// Missing params entirely behaves like an empty object.
	wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":9,"method":"test.greet"}`), "9", dispatch.CodeBadParameters)
}

func TestEvents(t *testing.T) {
	r := start(t, "")
	registerTestMethods(t)
	r.invoke(`{"jsonrpc":"2.0","id":5,"method":"test.emit","params":{"n":3}}`)
	msgs := r.waitFor(t, 4)
	for i := 0; i < 3; i++ {
		e := decode(t, msgs[i])
		if e.Method != "event" || e.ID != nil || e.Result != nil || e.Error != nil {
			t.Fatalf("message %d is not an event: %s", i, msgs[i])
		}
		if e.Params["type"] != "TEST_EVENT" || e.Params["seq"] != float64(i) || e.Params["action"] != "open" {
			t.Fatalf("event %d payload: %s", i, msgs[i])
		}
	}
	if got := wantResult(t, msgs[3], "5"); got != `{"emitted":3}` {
		t.Fatalf("result after events: %s", got)
	}
	// Synchronous calls deliver events through the callback and return the response.
	resp := bridge.CallSync(`{"jsonrpc":"2.0","id":6,"method":"test.emit","params":{"n":2}}`)
	wantResult(t, resp, "6")
	if n := len(r.waitFor(t, 6)); n != 6 {
		t.Fatalf("want 6 messages, have %d", n)
	}
	// Events emitted directly (outside any call) reach the callback too.
	bridge.DispatcherForTest().Emit("ONEWELCOME_PIN_CREATE_NOTIFICATION", dispatch.RawJSON(`{"action":"open","flow":"Create","pinLength":5}`))
	last := decode(t, r.waitFor(t, 7)[6])
	if last.Params["type"] != "ONEWELCOME_PIN_CREATE_NOTIFICATION" || last.Params["pinLength"] != float64(5) {
		t.Fatalf("direct event: %+v", last.Params)
	}
}

// TestEventsBeforeTheirResult: with many calls in flight at once, every event a
// call emitted before returning is delivered to the Start callback before that
// call's Reply is answered (the order JS sees them in, DESIGN §11), and every
// Reply is answered exactly once.
func TestEventsBeforeTheirResult(t *testing.T) {
	r := start(t, "")
	registerTestMethods(t)
	const calls, per = 64, 5
	var wg sync.WaitGroup
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r.invoke(fmt.Sprintf(`{"jsonrpc":"2.0","id":"c%d","method":"test.emitTag","params":{"tag":"c%d","n":%d}}`, i, i, per))
		}(i)
	}
	wg.Wait()
	msgs := r.waitFor(t, calls*(per+1))
	events := map[string]int{} // tag -> events seen so far
	answered := map[string]bool{}
	for _, m := range msgs {
		e := decode(t, m)
		if e.Method == "event" {
			tag, _ := e.Params["tag"].(string)
			if answered[tag] {
				t.Fatalf("event of %s delivered after its result: %s", tag, m)
			}
			events[tag]++
			continue
		}
		var id string
		if err := json.Unmarshal(e.ID, &id); err != nil || e.Result == nil {
			t.Fatalf("unexpected answer %s", m)
		}
		if events[id] != per {
			t.Fatalf("result of %s delivered after %d of its %d events", id, events[id], per)
		}
		answered[id] = true
	}
	if len(answered) != calls {
		t.Fatalf("%d calls answered, want %d", len(answered), calls)
	}
}

func TestHandlerFailures(t *testing.T) {
	start(t, "")
	registerTestMethods(t)
	e := wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":1,"method":"test.panic"}`), "1", dispatch.CodeInternal)
	if strings.Contains(e.Error.Message, "123456") {
		t.Fatalf("panic value leaked into the message: %q", e.Error.Message)
	}
	e = wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":2,"method":"test.plainError"}`), "2", dispatch.CodeInternal)
	if strings.Contains(e.Error.Message, "hunter2") {
		t.Fatalf("plain error text leaked: %q", e.Error.Message)
	}
	e = wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":3,"method":"test.codedError"}`), "3", dispatch.CodeWrongPin)
	if e.Error.Data["remainingFailureCount"] != float64(2) || e.Error.Data["domain"] != "pin" {
		t.Fatalf("error data: %v", e.Error.Data)
	}
	wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":4,"method":"test.unencodable"}`), "4", dispatch.CodeInternal)
	// The core keeps working after all of that.
	wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":5,"method":"ping"}`), "5")
}

func TestAsyncPanicAnswers(t *testing.T) {
	r := start(t, "")
	registerTestMethods(t)
	r.invoke(`{"jsonrpc":"2.0","id":1,"method":"test.panic"}`)
	wantError(t, r.waitFor(t, 1)[0], "1", dispatch.CodeInternal)
}

func TestConcurrentCalls(t *testing.T) {
	r := start(t, "")
	registerTestMethods(t)
	const workers, per = 32, 200
	var wg sync.WaitGroup
	syncErrs := make(chan string, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				id := fmt.Sprintf(`"w%d-%d"`, w, i)
				switch i % 4 {
				case 0:
					resp := bridge.CallSync(`{"jsonrpc":"2.0","id":` + id + `,"method":"ping"}`)
					if !strings.Contains(resp, `"id":`+id+`,"result":{"pong":true}`) {
						syncErrs <- resp
						return
					}
				case 1:
					r.invoke(`{"jsonrpc":"2.0","id":` + id + `,"method":"ping"}`)
				case 2:
					r.invoke(`{"jsonrpc":"2.0","id":` + id + `,"method":"nope"}`)
				case 3:
					r.invoke(`{"jsonrpc":"2.0","id":` + id + `,"method":"test.emit","params":{"n":1}}`)
				}
			}
		}(w)
	}
	wg.Wait()
	close(syncErrs)
	for s := range syncErrs {
		t.Fatalf("bad synchronous answer %s", s)
	}
	asyncPer := per * 3 / 4
	events := workers * per / 4
	msgs := r.waitFor(t, workers*asyncPer+events)
	seen := map[string]int{}
	nEvents := 0
	for _, m := range msgs {
		e := decode(t, m)
		if e.Method == "event" {
			nEvents++
			continue
		}
		seen[idOf(e)]++
	}
	if nEvents != events {
		t.Fatalf("want %d events, got %d", events, nEvents)
	}
	for w := 0; w < workers; w++ {
		for i := 0; i < per; i++ {
			if i%4 == 0 {
				continue
			}
			if id := fmt.Sprintf(`"w%d-%d"`, w, i); seen[id] != 1 {
				t.Fatalf("id %s answered %d times", id, seen[id])
			}
		}
	}
	if len(seen) != workers*asyncPer {
		t.Fatalf("answers for %d ids, want %d", len(seen), workers*asyncPer)
	}
}

func TestStartTwice(t *testing.T) {
	start(t, "")
	err := bridge.Start("{}", newRecorder(), nil, nil, nil)
	if err == nil {
		t.Fatal("second Start succeeded")
	}
	var obj struct {
		Code    int    `json:"code"`
		Domain  string `json:"domain"`
		Message string `json:"message"`
	}
	if jerr := json.Unmarshal([]byte(err.Error()), &obj); jerr != nil {
		t.Fatalf("Start error is not a JSON object: %q", err.Error())
	}
	if obj.Code != int(dispatch.CodeAlreadyStarted) || obj.Domain != "sdk" || obj.Message == "" {
		t.Fatalf("Start error %+v", obj)
	}
	// The first core is untouched.
	wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":1,"method":"ping"}`), "1")
}

func TestStartBadConfiguration(t *testing.T) {
	for _, c := range []struct {
		name, cfg string
		cb        bridge.Callback
	}{
		{"not JSON", `{"dataDir":`, newRecorder()},
		{"not an object", `["a"]`, newRecorder()},
		{"no callback", `{}`, nil},
		{"unusable dataDir", `{"dataDir":"/proc/version/x"}`, newRecorder()},
		{"unusable logFile", `{"logFile":"/proc/version/x/log"}`, newRecorder()},
		{"unknown field", `{"dataDirectory":"/tmp"}`, newRecorder()},
		{"bad platform", `{"platform":"Android OS"}`, newRecorder()},
		{"bad log level", `{"logLevel":"loud"}`, newRecorder()},
		{"bad app configuration", `{"app":{"serverUrl":"http://auth.example.com"}}`, newRecorder()},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := bridge.Start(c.cfg, c.cb, nil, nil, nil)
			if err == nil {
				bridge.Close()
				t.Fatal("Start succeeded")
			}
			var obj struct {
				Code int `json:"code"`
			}
			if jerr := json.Unmarshal([]byte(err.Error()), &obj); jerr != nil || obj.Code != int(dispatch.CodeConfiguration) {
				t.Fatalf("error %q", err.Error())
			}
			if bridge.IsStarted() {
				t.Fatal("started after a failed Start")
			}
		})
	}
}

func TestCallBeforeStart(t *testing.T) {
	if bridge.IsStarted() {
		t.Fatal("started at the beginning of the test")
	}
	bridge.Close() // forget a failed Start of an earlier test
	wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":12,"method":"ping"}`), "12", dispatch.CodeNotStarted)
	wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":"s","method":"ping"}`), `"s"`, dispatch.CodeNotStarted)
	wantError(t, bridge.CallSync(`not json`), "null", dispatch.CodeNotStarted)
	r := newRecorder()
	r.t = t
	r.invoke(`{"jsonrpc":"2.0","id":13,"method":"ping"}`) // answered at once through its reply
	r.invoke(`not json`)
	msgs := r.waitFor(t, 2)
	wantError(t, msgs[0], "13", dispatch.CodeNotStarted)
	wantError(t, msgs[1], "null", dispatch.CodeNotStarted)
	bridge.Invoke(`{"jsonrpc":"2.0","id":14,"method":"ping"}`, nil) // nowhere to answer: must not panic
	bridge.Close()                                                  // closing when not started is fine
}

// TestInvokeAfterFailedStart: calls made after a failed Start (the native
// modules forward them regardless) are answered with that Start's error, so
// the app learns why (8001 for a bad configuration), until a Start succeeds
// or Close forgets it.
func TestInvokeAfterFailedStart(t *testing.T) {
	bridge.Close()
	err := bridge.Start(`{"platform":"Android!"}`, newRecorder(), nil, nil, nil)
	if err == nil {
		bridge.Close()
		t.Fatal("Start accepted a bad platform")
	}
	r := newRecorder()
	r.t = t
	r.invoke(`{"jsonrpc":"2.0","id":1,"method":"ping"}`)
	e := wantError(t, r.waitFor(t, 1)[0], "1", dispatch.CodeConfiguration)
	if !strings.Contains(e.Error.Message, "SDK not started") || !strings.Contains(e.Error.Message, "platform") {
		t.Fatalf("message %q does not say why", e.Error.Message)
	}
	bridge.Close()
	r.invoke(`{"jsonrpc":"2.0","id":2,"method":"ping"}`)
	wantError(t, r.waitFor(t, 2)[1], "2", dispatch.CodeNotStarted)
	start(t, "")
	r.invoke(`{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	wantResult(t, r.waitFor(t, 3)[2], "3")
}

func TestCloseThenStartAgain(t *testing.T) {
	r1 := newRecorder()
	if err := bridge.Start("{}", r1, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	bridge.Close()
	bridge.Close() // idempotent
	if bridge.IsStarted() {
		t.Fatal("still started after Close")
	}
	wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":1,"method":"ping"}`), "1", dispatch.CodeNotStarted)
	r2 := start(t, "{}")
	wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":2,"method":"ping"}`), "2")
	r2.invoke(`{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	wantResult(t, r2.waitFor(t, 1)[0], "3")
	if n := len(r1.snapshot()); n != 0 {
		t.Fatalf("the first callback got %d messages after Close", n)
	}
}

func TestCloseAnswersPendingCalls(t *testing.T) {
	r := newRecorder()
	if err := bridge.Start("{}", r, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	defer bridge.Close()
	registerTestMethods(t)
	for i := 0; i < 5; i++ {
		r.invoke(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"test.wait"}`, i))
	}
	done := make(chan struct{})
	go func() { bridge.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return while calls were waiting")
	}
	msgs := r.snapshot() // Close returned: every pending answer is already delivered
	if len(msgs) != 5 {
		t.Fatalf("want 5 answers at Close, got %d: %q", len(msgs), msgs)
	}
	for _, m := range msgs {
		if e := decode(t, m); e.Error == nil || e.Error.Code != int(dispatch.CodeCancelled) {
			t.Fatalf("pending call answered %s", m)
		}
	}
}

func TestDataDirAndLogFile(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "sdk.log")
	cfg, _ := json.Marshal(map[string]string{"dataDir": filepath.Join(dir, "data"), "logFile": logPath, "logLevel": "debug"})
	start(t, string(cfg))
	registerTestMethods(t)
	wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":1,"method":"test.panic"}`), "1", dispatch.CodeInternal)
	wantError(t, bridge.CallSync(`{"jsonrpc":"2.0","id":2,"method":"test.plainError"}`), "2", dispatch.CodeInternal)
	bridge.DispatcherForTest().Logger().Info().Str("pin", "24680").Str("header", "Authorization: Bearer abc.def.ghi").Msg("flow")
	bridge.Close()
	if _, err := os.Stat(filepath.Join(dir, "data", ".storage-key")); err != nil {
		t.Fatalf("dataDir not used for storage: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "keys", ".storage-key")); err != nil {
		t.Fatalf("dataDir not used for keys: %v", err)
	}
	logText, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(logText)
	if !strings.Contains(s, "handler panicked") || !strings.Contains(s, `"method":"test.panic"`) {
		t.Fatalf("panic not logged: %s", s)
	}
	for _, secret := range []string{"123456", "24680", "abc.def.ghi"} {
		if strings.Contains(s, secret) {
			t.Fatalf("secret %q in log: %s", secret, s)
		}
	}
}

// nativeStorage and nativeKeys stand in for natively implemented capabilities.
type nativeStorage struct{ bridge.SecureStorage }
type nativeKeys struct{ bridge.KeyStore }

func TestStartWithNativeCapabilities(t *testing.T) {
	r := newRecorder()
	if err := bridge.Start(`{}`, r, nativeStorage{}, nativeKeys{}, nil); err != nil {
		t.Fatal(err)
	}
	defer bridge.Close()
	wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":1,"method":"ping"}`), "1")
}

// panicky is a native callback and reply that throw.
type panicky struct{ calls chan string }

func (p panicky) OnEvent(string) {
	p.calls <- "event"
	panic("native callback threw")
}

func (p panicky) OnResult(string) {
	p.calls <- "result"
	panic("native reply threw")
}

func (p panicky) OnError(int, string, string) {
	p.calls <- "error"
	panic("native reply threw")
}

func TestPanickingNativeCodeIsContained(t *testing.T) {
	p := panicky{calls: make(chan string, 10)}
	if err := bridge.Start(`{"logLevel":"disabled"}`, p, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	defer bridge.Close()
	registerTestMethods(t)
	next := func() string {
		select {
		case c := <-p.calls:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("native code not called")
			return ""
		}
	}
	bridge.Invoke(`{"jsonrpc":"2.0","id":1,"method":"ping"}`, p)
	if c := next(); c != "result" {
		t.Fatalf("first call %s", c)
	}
	bridge.Invoke(`{"jsonrpc":"2.0","id":2,"method":"nope"}`, p)
	if c := next(); c != "error" {
		t.Fatalf("second call %s", c)
	}
	bridge.Invoke(`{"jsonrpc":"2.0","id":3,"method":"test.emit","params":{"n":1}}`, p)
	if a, b := next(), next(); a != "event" || b != "result" {
		t.Fatalf("emitting call: %s then %s", a, b)
	}
	wantResult(t, bridge.CallSync(`{"jsonrpc":"2.0","id":4,"method":"ping"}`), "4")
}

func TestConcurrentStart(t *testing.T) {
	const n = 16
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- bridge.Start(`{"logLevel":"disabled"}`, newRecorder(), nil, nil, nil)
		}()
	}
	wg.Wait()
	close(errs)
	defer bridge.Close()
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
			continue
		}
		var obj struct {
			Code int `json:"code"`
		}
		if json.Unmarshal([]byte(err.Error()), &obj) != nil || obj.Code != int(dispatch.CodeAlreadyStarted) {
			t.Fatalf("concurrent Start: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent Starts succeeded, want 1", ok)
	}
}
