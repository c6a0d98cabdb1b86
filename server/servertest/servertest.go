package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/internal/testutil"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/store/storetest"
)

// Options configure Start.
type Options struct {
	StoreURL string // default: a SQLite file in t.TempDir()
	Policy   string // initial re-enrollment policy (default single)
	// Config, when set, may change the server configuration before start
	// (limits, argon2 costs, callback back-off, ...).
	Config func(*server.Config)
	// LogOutput receives the (redacted) log lines too; they are always
	// captured in TestServer.Logs.
	LogOutput io.Writer
}

// PostgresStoreURL returns a store URL for a fresh PostgreSQL schema when
// OMA_TEST_POSTGRES_URL is set (ok false otherwise).
func PostgresStoreURL(t testing.TB) (string, bool) { return storetest.PostgresURL(t) }

// Clock is the server's expiry clock: frozen at start, moved only by Advance.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// LogBuffer collects log output safely across goroutines.
type LogBuffer = testutil.SyncBuffer

// TestServer is a running server with the demo data.
type TestServer struct {
	URL             string
	APIClientID     string
	APIClientSecret string
	CallbackKey     string // the demo API client's callback key (outbox.Verify)
	OTPType         string
	DemoUser        string
	DemoPassword    string
	DemoUserID      string
	StoreURL        string
	Clock           *Clock
	Logs            *LogBuffer
	Server          *server.Server

	t          testing.TB
	hs         *http.Server
	deviceReqs atomic.Int64
	closeOnce  sync.Once
}

// Start starts a server on 127.0.0.1:0 and registers its shutdown with t.Cleanup.
func Start(t testing.TB, o Options) *TestServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("servertest: listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	ts := &TestServer{t: t, URL: base, Clock: &Clock{now: time.Now().Truncate(time.Second)}, Logs: &LogBuffer{}}
	storeURL := o.StoreURL
	if storeURL == "" {
		storeURL = "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	}
	ts.StoreURL = storeURL
	var out io.Writer = ts.Logs
	if o.LogOutput != nil {
		out = io.MultiWriter(ts.Logs, o.LogOutput)
	}
	cfg := server.Config{
		ListenAddr: ln.Addr().String(), PublicBaseURL: base, StoreURL: storeURL, LogLevel: "debug", LogOutput: out,
		Clock: ts.Clock, Policy: o.Policy, Argon2: server.CheapArgon2,
		// Test receivers (callbacks, webhooks) listen on loopback: the
		// egress guard is turned off explicitly (tests of the guard itself
		// turn it back on in Options.Config).
		AllowPrivateEgress: true,
	}
	cfg.Callbacks.BaseBackoff = 20 * time.Millisecond
	cfg.Callbacks.MaxBackoff = 200 * time.Millisecond
	cfg.Callbacks.PollInterval = 50 * time.Millisecond
	cfg.Callbacks.Timeout = 2 * time.Second
	if o.Config != nil {
		o.Config(&cfg)
	}
	srv, err := server.New(context.Background(), cfg)
	if err != nil {
		_ = ln.Close()
		t.Fatalf("servertest: %v", err)
	}
	ts.Server = srv
	seed, err := srv.SeedDemo(context.Background())
	if err != nil {
		_ = srv.Close()
		t.Fatalf("servertest: seeding: %v", err)
	}
	ts.APIClientID, ts.APIClientSecret, ts.OTPType, ts.CallbackKey = seed.APIClientID, seed.APIClientSecret, seed.OTPType, seed.CallbackKey
	ts.DemoUser, ts.DemoPassword, ts.DemoUserID = seed.Username, seed.Password, seed.UserID
	h := srv.Handler()
	ts.hs = srv.HTTPServer()
	ts.hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/device/") || strings.HasPrefix(r.URL.Path, "/resources") {
			ts.deviceReqs.Add(1)
		}
		h.ServeHTTP(w, r)
	})
	go func() { _ = ts.hs.Serve(ln) }()
	t.Cleanup(ts.Close)
	return ts
}

// Close stops the server (idempotent; also run by t.Cleanup).
func (ts *TestServer) Close() {
	ts.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ts.Server.BeginShutdown()
		_ = ts.hs.Shutdown(ctx)
		_ = ts.Server.Close()
	})
}

// SetPolicy stores the re-enrollment policy: "single", "override" or "multiple".
func (ts *TestServer) SetPolicy(policy string) {
	if err := ts.Server.Admin().SetPolicy(context.Background(), policy); err != nil {
		ts.t.Fatalf("servertest: SetPolicy: %v", err)
	}
}

// CreateUser creates an identity-provider user and returns its user id.
func (ts *TestServer) CreateUser(username, password string) string {
	id, err := ts.Server.Admin().CreateUser(context.Background(), username, password)
	if err != nil {
		ts.t.Fatalf("servertest: CreateUser: %v", err)
	}
	return id
}

// AllowCallback allows uri as a callback URI of the demo API client.
func (ts *TestServer) AllowCallback(uri string) {
	if err := ts.Server.Admin().AddCallbackURIs(context.Background(), ts.APIClientID, uri); err != nil {
		ts.t.Fatalf("servertest: AllowCallback: %v", err)
	}
}

// DeviceRoundTrips is the number of device-API and resource requests (paths
// under /device/ or /resources) since start or the
// last ResetCounters.
func (ts *TestServer) DeviceRoundTrips() int { return int(ts.deviceReqs.Load()) }

// ResetCounters zeroes DeviceRoundTrips.
func (ts *TestServer) ResetCounters() { ts.deviceReqs.Store(0) }

// RPError is a relying-party API error answer.
type RPError struct {
	Status      int
	Err         string `json:"error"`
	Code        int    `json:"error_code"`
	Description string `json:"error_description"`
}

// Error implements error.
func (e *RPError) Error() string {
	return fmt.Sprintf("HTTP %d: %s (%d) %s", e.Status, e.Err, e.Code, e.Description)
}

// RPDo performs a relying-party API request with the demo client's Basic
// credentials; a non-2xx answer is returned as *RPError.
func (ts *TestServer) RPDo(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, ts.URL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.SetBasicAuth(ts.APIClientID, ts.APIClientSecret)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		e := &RPError{Status: resp.StatusCode}
		_ = json.Unmarshal(b, e)
		return e
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// CreateAuthRequest starts an authentication request through the real v4 API
// (form-encoded; Type defaults to the demo OTP type).
func (ts *TestServer) CreateAuthRequest(ctx context.Context, p rp.CreateParams) (txID, otp string, err error) {
	if p.Type == "" {
		p.Type = ts.OTPType
	}
	f := url.Values{}
	for k, v := range map[string]string{"type": p.Type, "message": p.Message, "callback_uri": p.CallbackURI, "language_code": p.LanguageCode,
		"ip_address": p.IPAddress, "user_agent": p.UserAgent, "user_id": p.UserID} {
		if v != "" {
			f.Set(k, v)
		}
	}
	var resp rp.CreateResponse
	if err := ts.RPDo(ctx, http.MethodPost, rp.PathCreate, "application/x-www-form-urlencoded", []byte(f.Encode()), &resp); err != nil {
		return "", "", err
	}
	if resp.TransactionID == "" || resp.OTP == "" {
		return "", "", errors.New("servertest: create answer lacks transaction_id or otp")
	}
	return resp.TransactionID, resp.OTP, nil
}

// Transaction fetches a transaction through the real v4 API.
func (ts *TestServer) Transaction(ctx context.Context, txID string) (rp.Transaction, error) {
	var t rp.Transaction
	err := ts.RPDo(ctx, http.MethodGet, rp.PathTransaction+url.PathEscape(txID), "", nil, &t)
	return t, err
}

// WaitTransaction long-polls a transaction (wait up to 30 seconds).
func (ts *TestServer) WaitTransaction(ctx context.Context, txID string, wait int) (rp.Transaction, error) {
	var t rp.Transaction
	err := ts.RPDo(ctx, http.MethodGet, fmt.Sprintf("%s%s?wait=%d", rp.PathTransaction, url.PathEscape(txID), wait), "", nil, &t)
	return t, err
}
