package sdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"
)

// phone drives one SDK core only through the dispatcher envelope, as the JS
// layer does: HandleAsync requests in, responses and events out of the Sink.
type phone struct {
	t       testing.TB
	core    *sdk.SDK
	storage device.Storage
	keys    device.KeyStore

	url     string        // the server URL startClient was given (set by the tests' helpers)
	timeout time.Duration // the core's flow timeout (0: the default)
	mu      sync.Mutex
	nextID  int
	pending map[string]chan gjson.Result
	events  []gjson.Result
	notify  chan struct{}
}

const waitLimit = 20 * time.Second

func newPhone(t testing.TB, storage device.Storage, keys device.KeyStore) *phone {
	t.Helper()
	return newPhoneLogged(t, storage, keys, nil)
}

// newPhoneLogged is newPhone with the core logging to logger.
func newPhoneLogged(t testing.TB, storage device.Storage, keys device.KeyStore, logger *zerolog.Logger) *phone {
	t.Helper()
	return newPhoneOpts(t, sdk.Options{Storage: storage, Keys: keys, Logger: logger})
}

// newPhoneOpts is a phone whose core is built with o (its Sink is the phone's).
func newPhoneOpts(t testing.TB, o sdk.Options) *phone {
	t.Helper()
	p := &phone{t: t, storage: o.Storage, keys: o.Keys, timeout: o.FlowTimeout, pending: map[string]chan gjson.Result{}, notify: make(chan struct{}, 1)}
	o.Sink = p.sink
	core, err := sdk.New(o)
	if err != nil {
		t.Fatal(err)
	}
	p.core = core
	t.Cleanup(core.Close)
	return p
}

// newDevice is a fresh phone with its own storage and key store.
func newDevice(t testing.TB) *phone {
	st := device.NewMemStorage()
	return newPhone(t, st, device.NewSoftKeyStore(st))
}

// restart closes this core and starts a new one on the same storage and keys
// (and the same flow timeout).
func (p *phone) restart() *phone {
	return p.restartWith(p.timeout)
}

// restartWith is restart with another flow timeout.
func (p *phone) restartWith(timeout time.Duration) *phone {
	p.core.Close()
	return newPhoneOpts(p.t, sdk.Options{Storage: p.storage, Keys: p.keys, FlowTimeout: timeout})
}

func (p *phone) sink(msg string) {
	r := gjson.Parse(msg)
	if r.Get("method").Str == "event" {
		p.mu.Lock()
		p.events = append(p.events, r.Get("params"))
		p.mu.Unlock()
		select {
		case p.notify <- struct{}{}:
		default:
		}
		return
	}
	id := r.Get("id").Raw
	p.mu.Lock()
	ch := p.pending[id]
	delete(p.pending, id)
	p.mu.Unlock()
	if ch == nil {
		p.t.Errorf("response for unknown id %s: %s", id, msg)
		return
	}
	ch <- r
}

// pendingCall is a request whose response has not been awaited yet.
type pendingCall struct {
	p      *phone
	method string
	ch     chan gjson.Result
}

func (p *phone) call(method string, params any) *pendingCall {
	p.mu.Lock()
	p.nextID++
	n := p.nextID
	id := strconv.Itoa(n)
	ch := make(chan gjson.Result, 1)
	p.pending[id] = ch
	p.mu.Unlock()
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": n, "method": method, "params": params})
	if err != nil {
		p.t.Fatal(err)
	}
	p.core.HandleAsync(string(b))
	return &pendingCall{p: p, method: method, ch: ch}
}

// wait returns the response envelope.
func (c *pendingCall) wait() gjson.Result {
	c.p.t.Helper()
	select {
	case r := <-c.ch:
		// Every code the core answers must be one core/api declares for the
		// method (the generated contract tells apps which codes to expect).
		if e := r.Get("error.code"); e.Exists() {
			if m := api.Lookup(c.method); m != nil && !m.MayAnswer(dispatch.Code(e.Int())) {
				c.p.t.Errorf("%s answered %d, which core/api does not declare for it: %s", c.method, e.Int(), r.Raw)
			}
		}
		return r
	case <-time.After(waitLimit):
		c.p.t.Fatalf("%s: no response within %s", c.method, waitLimit)
		return gjson.Result{}
	}
}

// ok waits and returns the result, failing on an error response.
func (c *pendingCall) ok() gjson.Result {
	c.p.t.Helper()
	r := c.wait()
	if e := r.Get("error"); e.Exists() {
		c.p.t.Fatalf("%s failed: %s", c.method, e.Raw)
	}
	return r.Get("result")
}

// code waits and returns the error code (0 for success).
func (c *pendingCall) code() dispatch.Code {
	c.p.t.Helper()
	return dispatch.Code(c.wait().Get("error.code").Int())
}

func (p *phone) do(method string, params any) gjson.Result {
	p.t.Helper()
	return p.call(method, params).ok()
}

func (p *phone) errCode(method string, params any) dispatch.Code {
	p.t.Helper()
	return p.call(method, params).code()
}

// expectCode asserts that method answers code.
func (p *phone) expectCode(want dispatch.Code, method string, params any) gjson.Result {
	p.t.Helper()
	r := p.call(method, params).wait()
	if got := dispatch.Code(r.Get("error.code").Int()); got != want {
		p.t.Fatalf("%s: want code %d, got %s", method, want, r.Raw)
	}
	return r.Get("error")
}

// event waits for the next event of type typ (with action when not empty),
// consuming it and every earlier event of that type.
func (p *phone) event(typ, action string) gjson.Result {
	p.t.Helper()
	deadline := time.After(waitLimit)
	for {
		p.mu.Lock()
		for i, e := range p.events {
			if e.Get("type").Str == typ && (action == "" || e.Get("action").Str == action) {
				p.events = append(p.events[:i:i], p.events[i+1:]...)
				p.mu.Unlock()
				return e
			}
		}
		p.mu.Unlock()
		select {
		case <-p.notify:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			p.t.Fatalf("no %s %s event within %s; have %v", typ, action, waitLimit, p.eventList())
		}
	}
}

// tryEvent consumes the first event of typ (and action) if one arrived.
func (p *phone) tryEvent(typ, action string) (gjson.Result, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, e := range p.events {
		if e.Get("type").Str == typ && (action == "" || e.Get("action").Str == action) {
			p.events = append(p.events[:i:i], p.events[i+1:]...)
			return e, true
		}
	}
	return gjson.Result{}, false
}

// noEvent asserts that no event of typ (and action) arrived.
func (p *phone) noEvent(typ, action string) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.events {
		if e.Get("type").Str == typ && (action == "" || e.Get("action").Str == action) {
			p.t.Fatalf("unexpected event %s", e.Raw)
		}
	}
}

func (p *phone) clearEvents() {
	p.mu.Lock()
	p.events = nil
	p.mu.Unlock()
}

func (p *phone) eventList() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, e := range p.events {
		out = append(out, e.Raw)
	}
	return out
}

// browserLogin follows the login page the registration URL shows: GET it,
// POST username and password with its CSRF token and cookie to the same URL
// and return the Location of the redirect to the app.
func browserLogin(t testing.TB, loginURL, username, password string) string {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second}
	page, err := weblogin.Load(context.Background(), hc, loginURL)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(page.HTML), "password") || page.Hidden.Get("csrf_token") == "" {
		t.Fatalf("login page without a password field or CSRF token: %.300s", page.HTML)
	}
	loc, err := page.Submit(context.Background(), hc, username, password)
	if err != nil {
		t.Fatalf("login POST: %v", err)
	}
	return loc.String()
}

func fmtParams(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}
