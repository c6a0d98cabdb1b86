package bridge_test

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/openmobileauth/oma/bridge"
	"github.com/openmobileauth/oma/core/dispatch"
)

// recorder is the Start Callback and the sink of every Reply the tests make: it
// keeps events and answers in the one order they were delivered, each written
// as the envelope it stands for (an event as {"method":"event","params":...},
// an answer as a response with the id of its request), so tests can read both
// kinds alike.
type recorder struct {
	mu     sync.Mutex
	msgs   []string
	notify chan struct{}
	t      testing.TB // set by start: where a second answer to one Reply is reported
}

func newRecorder() *recorder { return &recorder{notify: make(chan struct{}, 1)} }

// OnEvent implements bridge.Callback.
func (r *recorder) OnEvent(e string) {
	r.add(`{"jsonrpc":"2.0","method":"event","params":` + e + `}`)
}

func (r *recorder) add(m string) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// reply is a bridge.Reply for one request; it records its answer in r.
type reply struct {
	r       *recorder
	id      string // raw JSON id of the request ("null" when it has none usable)
	answers atomic.Int32
}

// invoke sends req through bridge.Invoke with a reply recording into r.
func (r *recorder) invoke(req string) *reply {
	id := "null"
	if v := gjson.Get(req, "id"); gjson.Valid(req) && (v.Type == gjson.Number || v.Type == gjson.String) && utf8.ValidString(v.Raw) {
		id = v.Raw
	}
	rp := &reply{r: r, id: id}
	bridge.Invoke(req, rp)
	return rp
}

func (rp *reply) once() {
	if n := rp.answers.Add(1); n > 1 && rp.r.t != nil {
		rp.r.t.Errorf("reply for id %s answered %d times", rp.id, n)
	}
}

// OnResult implements bridge.Reply.
func (rp *reply) OnResult(result string) {
	rp.once()
	if !json.Valid([]byte(result)) && rp.r.t != nil {
		rp.r.t.Errorf("result for id %s is not JSON: %q", rp.id, result)
	}
	rp.r.add(`{"jsonrpc":"2.0","id":` + rp.id + `,"result":` + result + `}`)
}

// OnError implements bridge.Reply; code and message must agree with errorJSON.
func (rp *reply) OnError(code int, message, errorJSON string) {
	rp.once()
	e := gjson.Parse(errorJSON)
	if rp.r.t != nil && (!gjson.Valid(errorJSON) || e.Get("code").Int() != int64(code) || e.Get("message").String() != message) {
		rp.r.t.Errorf("OnError(%d, %q) disagrees with its error object %s", code, message, errorJSON)
	}
	rp.r.add(`{"jsonrpc":"2.0","id":` + rp.id + `,"error":` + errorJSON + `}`)
}

func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// waitFor waits until at least n messages arrived and returns them.
func (r *recorder) waitFor(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if m := r.snapshot(); len(m) >= n {
			return m
		}
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("timed out waiting for %d messages, have %d: %q", n, len(r.snapshot()), r.snapshot())
		}
	}
}

// envelope is a decoded response, error or event.
type envelope struct {
	JSONRPC string           `json:"jsonrpc"`
	ID      json.RawMessage  `json:"id"`
	Method  string           `json:"method"`
	Params  map[string]any   `json:"params"`
	Result  *json.RawMessage `json:"result"`
	Error   *struct {
		Code    int            `json:"code"`
		Message string         `json:"message"`
		Data    map[string]any `json:"data"`
	} `json:"error"`
}

func decode(t *testing.T, msg string) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal([]byte(msg), &e); err != nil {
		t.Fatalf("message is not valid JSON: %v: %q", err, msg)
	}
	if e.JSONRPC != "2.0" {
		t.Fatalf("jsonrpc is %q in %s", e.JSONRPC, msg)
	}
	return e
}

func idOf(e envelope) string {
	if e.ID == nil {
		return "<missing>"
	}
	return string(e.ID)
}

// wantError asserts msg is an error envelope with the given id (raw JSON) and code.
func wantError(t *testing.T, msg, id string, code dispatch.Code) envelope {
	t.Helper()
	e := decode(t, msg)
	if e.Error == nil || e.Result != nil {
		t.Fatalf("want error %d, got %s", code, msg)
	}
	if e.Error.Code != int(code) {
		t.Fatalf("want code %d, got %d in %s", code, e.Error.Code, msg)
	}
	if idOf(e) != id {
		t.Fatalf("want id %s, got %s in %s", id, idOf(e), msg)
	}
	if e.Error.Message == "" {
		t.Fatalf("error without message: %s", msg)
	}
	if d, _ := e.Error.Data["domain"].(string); d != code.Domain() {
		t.Fatalf("want domain %q, got %v in %s", code.Domain(), e.Error.Data["domain"], msg)
	}
	return e
}

// wantResult asserts msg is a success envelope with the given id and returns the result.
func wantResult(t *testing.T, msg, id string) string {
	t.Helper()
	e := decode(t, msg)
	if e.Error != nil || e.Result == nil {
		t.Fatalf("want result, got %s", msg)
	}
	if idOf(e) != id {
		t.Fatalf("want id %s, got %s in %s", id, idOf(e), msg)
	}
	return string(*e.Result)
}

// start starts the bridge with an in-memory core and closes it at the end of the test.
func start(t testing.TB, config string) *recorder {
	t.Helper()
	r := newRecorder()
	if config == "" {
		config = `{"logLevel":"disabled"}` // tests that check logging configure a logFile
	}
	r.t = t
	if err := bridge.Start(config, r, nil, nil, nil); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(bridge.Close)
	return r
}
