package server_test

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

var _ = store.ErrNotFound

// rawDB opens the test server's database directly (schema changes behind
// the server's back).
func rawDB(t *testing.T, ts *servertest.TestServer) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if p, ok := strings.CutPrefix(ts.StoreURL, "sqlite:"); ok {
		db, err = sql.Open("sqlite", "file:"+p+"?_pragma=busy_timeout(10000)")
	} else {
		u, _ := url.Parse(ts.StoreURL)
		q := u.Query()
		q.Del("group_commit")
		u.RawQuery = q.Encode()
		db, err = sql.Open("pgx", u.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// rebind turns ? placeholders into $n on PostgreSQL.
func rebind(ts *servertest.TestServer, q string) string {
	if strings.HasPrefix(ts.StoreURL, "sqlite:") {
		return q
	}
	for n := 1; strings.Contains(q, "?"); n++ {
		q = strings.Replace(q, "?", "$"+strconv.Itoa(n), 1)
	}
	return q
}

// scrape reads the admin listener's /metrics as "name{labels}" → value
// (labels as exposed: sorted by name).
func scrape(t *testing.T, adminURL string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(adminURL + server.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

func adminServer(t *testing.T, ts *servertest.TestServer) string {
	hs := httptest.NewServer(ts.Server.AdminHandler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// After a complete flow (create, claim, answer, callback) the counters of
// every family moved, with route patterns as labels (never raw paths).
func TestMetricsAfterFlow(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Config = func(c *server.Config) { c.Limits.CreatePerAPIClient = ratelimit.Limit{Rate: 0.001, Burst: 3} }
		var ts *servertest.TestServer
		rcv := newReceiver(t, 1, func() string { return ts.CallbackKey })
		ts = servertest.Start(t, o)
		admin := adminServer(t, ts)
		if err := ts.Server.CountExpired(ctx); err != nil { // starts the expiry cursor
			t.Fatal(err)
		}
		cb := rcv.srv.URL + "/cb"
		ts.AllowCallback(cb)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id := answerOne(t, ts, d, cb)
		waitFor(t, "delivery", func() bool { return len(rcv.delivered()) == 1 })
		// A denied one and one left to expire.
		_, otp := newRequest(t, ts, rp.CreateParams{})
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
			t.Fatal(err)
		}
		newRequest(t, ts, rp.CreateParams{})
		// The fourth create exceeds the burst of 3.
		if _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "x"}); err == nil {
			t.Fatal("rate limit did not refuse")
		}
		ts.Clock.Advance(10 * time.Minute)
		if err := ts.Server.CountExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Transaction(ctx, id); err != nil {
			t.Fatal(err)
		}

		m := scrape(t, admin)
		typ := ts.OTPType
		for k, want := range map[string]float64{
			`oma_transactions_created_total{method="otp",type="` + typ + `"}`:                    3,
			`oma_transactions_answered_total{method="otp",result="accepted",type="` + typ + `"}`: 1,
			`oma_transactions_answered_total{method="otp",result="denied",type="` + typ + `"}`:   1,
			`oma_transactions_expired_total{method="otp",type="` + typ + `"}`:                    1,
			`oma_callbacks_total{result="retried"}`:                                              1,
			`oma_callbacks_total{result="delivered"}`:                                            1,
			`oma_rate_limit_rejections_total{limit="create_per_api_client"}`:                     1,
			`oma_http_requests_total{code="200",route="` + protocol.PathAnswer + `"}`:            2,
			`oma_http_requests_total{code="429",route="` + rp.PathCreate + `"}`:                  1,
			`oma_http_requests_total{code="200",route="` + rp.PathTransaction + `{id}"}`:         1,
			`oma_outbox_depth`: 0,
		} {
			if got, ok := m[k]; !ok || got != want {
				t.Errorf("%s = %v (present %v), want %v", k, got, ok, want)
			}
		}
		for _, k := range []string{
			`oma_http_request_duration_seconds_count{route="` + protocol.PathClaim + `"}`,
			`oma_store_operation_duration_seconds_count{op="claim_once"}`,
			`oma_store_operation_duration_seconds_count{op="answer_once"}`,
			`oma_store_operation_duration_seconds_count{op="autocommit"}`,
		} {
			if m[k] < 1 {
				t.Errorf("%s = %v, want >= 1", k, m[k])
			}
		}
		found := false
		for k, v := range m {
			if strings.HasPrefix(k, "oma_build_info{") && v == 1 && strings.Contains(k, `goversion="go`) {
				found = true
			}
			if strings.Contains(k, id) {
				t.Errorf("a transaction id reached a label: %s", k)
			}
		}
		if !found {
			t.Error("no oma_build_info")
		}
	})
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Health on both listeners; readiness says when the schema lacks a
// migration of this build, and recovers.
func TestHealthEndpoints(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		admin := adminServer(t, ts)
		for _, base := range []string{ts.URL, admin} {
			for _, p := range []string{server.PathLive, server.PathReady} {
				if code, body := get(t, base+p); code != 200 || !strings.Contains(body, `"ok"`) {
					t.Fatalf("%s%s = %d %s", base, p, code, body)
				}
			}
		}
		if code, _ := get(t, ts.URL+server.PathMetrics); code != 404 {
			t.Fatalf("/metrics on the public listener: %d, want 404", code)
		}
		var version string
		// Forget the newest migration: not ready; put it back: ready.
		raw := rawDB(t, ts)
		if err := raw.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&version); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, rebind(ts, "DELETE FROM schema_migrations WHERE version = ?"), version); err != nil {
			t.Fatal(err)
		}
		if code, body := get(t, admin+server.PathReady); code != 503 || !strings.Contains(body, "migrations_pending") {
			t.Fatalf("ready without a migration = %d %s", code, body)
		}
		if code, _ := get(t, ts.URL+server.PathLive); code != 200 {
			t.Fatalf("live = %d", code)
		}
		if _, err := raw.ExecContext(ctx, rebind(ts, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)"), version); err != nil {
			t.Fatal(err)
		}
		if code, body := get(t, ts.URL+server.PathReady); code != 200 {
			t.Fatalf("ready after restoring = %d %s", code, body)
		}
		ts.Server.BeginShutdown()
		if code, body := get(t, admin+server.PathReady); code != 503 || !strings.Contains(body, "shutting_down") {
			t.Fatalf("ready while shutting down = %d %s", code, body)
		}
	})
}

// tcpProxy forwards to a PostgreSQL server and can cut it off (all
// connections closed, new ones refused) and restore it.
type tcpProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { _ = ln.Close(); p.setDown(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.down {
				p.mu.Unlock()
				_ = c.Close()
				continue
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				_ = c.Close()
				continue
			}
			p.conns[c], p.conns[u] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); _ = u.Close() }()
			go func() { _, _ = io.Copy(c, u); _ = c.Close() }()
		}
	}()
	return p
}

func (p *tcpProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			_ = c.Close()
		}
		p.conns = map[net.Conn]bool{}
	}
}

// Readiness fails while PostgreSQL is unreachable and recovers when it is
// back (a TCP proxy between the server and a real PostgreSQL cuts it off).
func TestReadinessStoreDown(t *testing.T) {
	u, ok := servertest.PostgresStoreURL(t)
	if !ok {
		t.Skip("OMA_TEST_POSTGRES_URL not set")
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, pu.Host)
	pu.Host = proxy.ln.Addr().String()
	ts := servertest.Start(t, servertest.Options{StoreURL: pu.String()})
	admin := adminServer(t, ts)
	if code, body := get(t, admin+server.PathReady); code != 200 {
		t.Fatalf("ready = %d %s", code, body)
	}
	proxy.setDown(true)
	start := time.Now()
	if code, body := get(t, admin+server.PathReady); code != 503 || !strings.Contains(body, "store_unreachable") {
		t.Fatalf("ready with the store down = %d %s", code, body)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("readiness took %v with the store down", el)
	}
	if code, _ := get(t, ts.URL+server.PathLive); code != 200 {
		t.Fatalf("live with the store down = %d", code)
	}
	proxy.setDown(false)
	waitFor(t, "ready again", func() bool {
		code, _ := get(t, admin+server.PathReady)
		return code == 200
	})
	// And the server works again.
	if _, _, err := ts.CreateAuthRequest(context.Background(), rp.CreateParams{Message: "back"}); err != nil {
		t.Fatalf("create after recovery: %v", err)
	}
}

// A push request is counted with method push, and each send by provider
// and result (the push outbox reports to the metrics hook).
func TestPushMetrics(t *testing.T) {
	ts := pushServer(t, servertest.Options{}, nil)
	admin := adminServer(t, ts)
	rcv := newPushReceiver(t)
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	if _, err := d.RegisterPush(rcv.subscription("/sub/1")); err != nil {
		t.Fatal(err)
	}
	id, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Pay?")
	if err != nil {
		t.Fatal(err)
	}
	rcv.next(t)
	c, err := d.PushClaim(id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil {
		t.Fatal(err)
	}
	var m map[string]float64
	waitFor(t, "push send counted", func() bool {
		m = scrape(t, admin)
		return m[`oma_push_sends_total{provider="webpush",result="delivered"}`] == 1
	})
	for k, want := range map[string]float64{
		`oma_transactions_created_total{method="push",type="` + pushType + `"}`:                    1,
		`oma_transactions_answered_total{method="push",result="accepted",type="` + pushType + `"}`: 1,
	} {
		if m[k] != want {
			t.Errorf("%s = %v, want %v", k, m[k], want)
		}
	}
}

// Normal operation leaves audit records too: the login with its IP, the
// enrollment, the answer with its decision, the deregistration.
func TestAuditEventsOfAFlow(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	_, otp := newRequest(t, ts, rp.CreateParams{})
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
		t.Fatal(err)
	}
	logs := ts.Logs.String()
	for _, want := range []string{
		`"audit":true,"event":"login_succeeded","ip":"127.0.0.1"`,
		`"audit":true,"event":"enrolled","user_id":"` + ts.DemoUserID + `"`,
		`"audit":true,"event":"answered","transaction_id":"` + c.TransactionID + `"`,
		`"decision":"denied"`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("no audit record with %s", want)
		}
	}
}
