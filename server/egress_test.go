package server_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// fixedNames is a resolver with a fixed table (the egress guard's test
// hook): "rp.internal.test" is a public-looking name that resolves to
// 127.0.0.1, as a rebinding DNS server would answer.
type fixedNames map[string]string

func (f fixedNames) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := f[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func guarded(allowPrivate bool) servertest.Options {
	return servertest.Options{Config: func(c *server.Config) {
		c.AllowPrivateEgress = allowPrivate
		c.EgressResolver = fixedNames{"rp.internal.test": "127.0.0.1"}
	}}
}

// A relying party's callback_uri whose literal host is an internal
// address is refused at creation (1003 naming callback_uri) unless private
// egress is allowed; so is a scheme other than http(s).
func TestCallbackURIRefusedAtCreation(t *testing.T) {
	for _, allow := range []bool{false, true} {
		ts := servertest.Start(t, guarded(allow))
		for _, cb := range []string{"http://127.0.0.1:9/cb", "https://localhost/cb", "https://[::1]/cb", "https://10.0.0.7/cb",
			"https://192.168.1.20/cb", "https://172.16.0.1/cb", "https://169.254.169.254/latest/meta-data", "https://[fd00::5]/cb",
			"https://100.64.0.9/cb", "https://[::ffff:127.0.0.1]/cb", "https://0.0.0.0/cb"} {
			if err := ts.Server.Admin().AddCallbackURIsWith(ctx, ts.APIClientID, server.CallbackPolicy{AllowPrivate: true, AllowHTTP: true}, cb); err != nil {
				t.Fatal(err)
			}
			_, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "Log in?", CallbackURI: cb})
			if allow {
				if err != nil {
					t.Fatalf("%s with private egress allowed: %v", cb, err)
				}
				continue
			}
			wantRPErr(t, err, 400, 1003)
			var re *servertest.RPError
			if !asRPError(err, &re) || !strings.Contains(re.Description, "callback_uri") {
				t.Fatalf("%s: %v does not name callback_uri", cb, err)
			}
		}
	}
	// A registered public name is accepted at creation (it is judged when
	// dialled).
	ts := servertest.Start(t, guarded(false))
	ts.AllowCallback("https://rp.example.com/cb")
	if _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "Log in?", CallbackURI: "https://rp.example.com/cb"}); err != nil {
		t.Fatal(err)
	}
}

// A callback to a name that resolves to 127.0.0.1 is refused at dial time
// (the receiver never sees it), counted in oma_egress_refused_total and
// logged with its reason but not its path; with private egress allowed the
// same callback is delivered.
func TestCallbackToNameResolvingToLoopbackRefused(t *testing.T) {
	for _, allow := range []bool{false, true} {
		var ts *servertest.TestServer
		rcv := newReceiver(t, 0, func() string { return ts.CallbackKey })
		ts = servertest.Start(t, guarded(allow))
		_, port, _ := net.SplitHostPort(rcv.srv.Listener.Addr().String())
		cb := "http://rp.internal.test:" + port + "/secret-path-x1"
		if err := ts.Server.Admin().AddCallbackURIsWith(ctx, ts.APIClientID, server.CallbackPolicy{AllowHTTP: true}, cb); err != nil {
			t.Fatal(err)
		}
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		answerOne(t, ts, d, cb)
		if allow {
			waitFor(t, "delivery", func() bool { return len(rcv.delivered()) == 1 })
			continue
		}
		admin := adminServer(t, ts)
		key := `oma_egress_refused_total{purpose="callback",reason="loopback"}`
		waitFor(t, "a refused delivery", func() bool { return scrape(t, admin)[key] >= 1 })
		time.Sleep(100 * time.Millisecond)
		if rcv.hits.Load() != 0 {
			t.Fatalf("the loopback receiver got %d callbacks", rcv.hits.Load())
		}
		logs := ts.Logs.String()
		if !strings.Contains(logs, `"purpose":"callback"`) || !strings.Contains(logs, `"reason":"loopback"`) || !strings.Contains(logs, `"host":"rp.internal.test"`) {
			t.Fatalf("no refusal logged:\n%s", logs)
		}
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, "egress") && strings.Contains(line, "secret-path-x1") {
				t.Fatalf("the refusal log names the URL path: %s", line)
			}
		}
	}
}

// A custom-registration webhook on a loopback address is not called while
// private egress is refused: the registration fails and the backend sees
// nothing.
func TestIdPWebhookEgressGuard(t *testing.T) {
	for _, allow := range []bool{false, true} {
		ts := servertest.Start(t, guarded(allow))
		b := servertest.StartLetterBackend(t, map[string]string{"K7-4411": "customer-4411"})
		ts.CreateCustomIdP(server.DemoAppID, "letter", "Code from our letter", b)
		err := ts.NewDevice().CustomRegister("letter", nil, "K7-4411", "24680")
		if allow {
			if err != nil || len(b.Requests) != 2 {
				t.Fatalf("allowed: %v, backend saw %d", err, len(b.Requests))
			}
			continue
		}
		if err == nil || len(b.Requests) != 0 || b.Rejected != 0 {
			t.Fatalf("guarded: err %v, backend saw %d (+%d rejected)", err, len(b.Requests), b.Rejected)
		}
		if code := apiErrCode(err); code == "" || code == protocol.ErrInvalidIdentityProvider {
			t.Fatalf("guarded: unexpected error %v", err)
		}
		if m := scrape(t, adminServer(t, ts)); m[`oma_egress_refused_total{purpose="idp",reason="loopback"}`] < 1 {
			t.Fatal("the refusal is not counted")
		}
	}
}

// The audit webhook: a literal internal URL is refused at start unless
// private egress is allowed; a name resolving to 127.0.0.1 is refused at
// dial time (counted, the receiver sees nothing) and delivered when allowed.
func TestAuditWebhookEgressGuard(t *testing.T) {
	base := server.Config{StoreURL: "sqlite::memory:", AuditWebhookURL: "http://127.0.0.1:9/audit"}
	if _, err := base.Check(); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("literal loopback audit URL: %v", err)
	}
	base.AllowPrivateEgress = true
	if _, err := base.Check(); err != nil {
		t.Fatalf("allowed: %v", err)
	}
	for _, allow := range []bool{false, true} {
		var hits atomic.Int32
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			hits.Add(1)
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(rcv.Close)
		_, port, _ := net.SplitHostPort(rcv.Listener.Addr().String())
		o := guarded(allow)
		guard := o.Config
		o.Config = func(c *server.Config) {
			guard(c)
			auditHookConfig("http://rp.internal.test:"+port+"/audit", "an-audit-key-of-at-least-32-characters")(c)
		}
		ts := servertest.Start(t, o)
		ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		if allow {
			waitFor(t, "an audit delivery", func() bool { return hits.Load() > 0 })
			continue
		}
		admin := adminServer(t, ts)
		waitFor(t, "a refused audit delivery", func() bool {
			return scrape(t, admin)[`oma_egress_refused_total{purpose="audit",reason="loopback"}`] >= 1
		})
		if hits.Load() != 0 {
			t.Fatalf("the loopback audit receiver got %d deliveries", hits.Load())
		}
	}
}
