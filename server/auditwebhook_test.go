package server_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/auditwebhook"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// auditReceiver is the operator's endpoint on loopback: it checks each
// delivery's signature itself (HMAC-SHA256 over timestamp.event-id.body,
// computed here, not by the server's code) and through outbox.Verify, and
// answers 503 while down.
type auditReceiver struct {
	srv  *httptest.Server
	key  atomic.Pointer[string]
	down atomic.Bool

	mu       sync.Mutex
	payloads map[string]auditwebhook.Payload // by event id, good signatures only
	bodies   []string                        // every body received
	bad      []string
	tries    int
}

func newAuditReceiver(t *testing.T) *auditReceiver {
	r := &auditReceiver{payloads: map[string]auditwebhook.Payload{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.tries++
		r.bodies = append(r.bodies, string(body))
		key := *r.key.Load()
		ts, id, sig := req.Header.Get(outbox.HeaderTimestamp), req.Header.Get(outbox.HeaderEventID), req.Header.Get(outbox.HeaderSignature)
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(ts + "." + id + "."))
		m.Write(body)
		if sig != "v1="+hex.EncodeToString(m.Sum(nil)) || outbox.Verify(key, req.Header, body, time.Now(), time.Minute) != nil {
			r.bad = append(r.bad, "bad signature on "+id)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if req.Header.Get(outbox.HeaderKeyID) != auditwebhook.KeyID(key) {
			r.bad = append(r.bad, "key id "+req.Header.Get(outbox.HeaderKeyID))
		}
		if r.down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var p auditwebhook.Payload
		if err := json.Unmarshal(body, &p); err != nil || p.ID != id || p.Event.Event == "" {
			r.bad = append(r.bad, "payload "+string(body))
		}
		r.payloads[id] = p
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// events returns the delivered events called name.
func (r *auditReceiver) events(name string) []auditwebhook.Payload {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []auditwebhook.Payload
	for _, p := range r.payloads {
		if p.Event.Event == name {
			out = append(out, p)
		}
	}
	return out
}

func auditHookConfig(url, key string) func(*server.Config) {
	return func(c *server.Config) {
		c.AuditWebhookURL, c.AuditWebhookKey = url, key
		// Enough attempts that no row is given up while the receiver is down.
		c.AuditWebhook = outbox.Config{MaxAttempts: 1000, BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond, Timeout: 2 * time.Second}
	}
}

// The audit webhook (issue 16): logins ok and failed with the IP, PIN
// failures, enrollments, answers with the decision, a "not me" report and
// an admin change with the admin token's name each reach the operator's
// endpoint, signed exactly like a callback (checked by the receiver itself),
// after retries while it was down (metrics delivered and retried move); no
// OTP, PIN, password or token is in any payload. Both stores.
func TestAuditWebhookDeliversSignedEvents(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		rcv := newAuditReceiver(t)
		key := "audit-key-" + strings.Repeat("k", 32)
		rcv.key.Store(&key)
		rcv.down.Store(true) // the first attempts fail: retried
		o.Config = auditHookConfig(rcv.srv.URL, key)
		o.Policy = "multiple"
		ts := servertest.Start(t, o)
		c := adminClient{t, adminServer(t, ts)}
		wtok, err := ts.Server.Admin().CreateAdminToken(ctx, "ops-bot", server.AdminScopeWrite)
		if err != nil {
			t.Fatal(err)
		}

		if _, _, err := ts.NewDevice().Login(ts.DemoUser, "wrong-password"); err == nil {
			t.Fatal("wrong password accepted")
		}
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		wantErr(t, d.Authenticate("00000"), protocol.ErrInvalidPin)
		if err := d.Authenticate("13579"); err != nil {
			t.Fatal(err)
		}
		_, otp1 := newRequest(t, ts, rp.CreateParams{})
		cr, err := d.Claim(otp1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(cr, protocol.DecisionAccept, nil)); err != nil {
			t.Fatal(err)
		}
		_, otp2 := newRequest(t, ts, rp.CreateParams{UserID: ts.DemoUserID})
		cr2, err := d.Claim(otp2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(cr2, protocol.DecisionDeny, func(a *protocol.AnswerRequest) { a.Reason = protocol.ReasonNotMe })); err != nil {
			t.Fatal(err)
		}
		c.must("Bearer "+wtok, "POST", "/admin/v1/users/"+ts.DemoUserID+"/unlock", "", 200)

		waitFor(t, "failed attempts while the receiver is down", func() bool {
			rcv.mu.Lock()
			defer rcv.mu.Unlock()
			return rcv.tries >= 3
		})
		rcv.down.Store(false)
		waitFor(t, "every audit event delivered", func() bool {
			n, err := store.AuditOutboxDepth(ctx, ts.Server.Store())
			return err == nil && n == 0
		})

		checks := []struct {
			event string
			ok    func(p auditwebhook.Payload) bool
		}{
			{"login_failed", func(p auditwebhook.Payload) bool {
				return p.Fields["ip"] == "127.0.0.1" && p.Fields["user"] == ts.DemoUser
			}},
			{"login_succeeded", func(p auditwebhook.Payload) bool {
				return p.Fields["ip"] == "127.0.0.1" && p.Fields["user_id"] == ts.DemoUserID
			}},
			{"pin_failed", func(p auditwebhook.Payload) bool {
				return p.Fields["ip"] == "127.0.0.1" && p.Fields["profile_id"] == d.ProfileID
			}},
			{"enrolled", func(p auditwebhook.Payload) bool { return p.Fields["enrollment_id"] == d.Enrollment }},
			{"answered", func(p auditwebhook.Payload) bool {
				return p.Fields["decision"] == "accepted" && p.Fields["transaction_id"] == cr.TransactionID
			}},
			{"user_reported_not_me", func(p auditwebhook.Payload) bool { return p.Fields["transaction_id"] == cr2.TransactionID }},
			{"admin_change", func(p auditwebhook.Payload) bool {
				return p.Fields["admin"] == "ops-bot" && p.Fields["action"] == "user_unlock" && p.Fields["target"] == ts.DemoUserID
			}},
		}
		for _, k := range checks {
			found := false
			for _, p := range rcv.events(k.event) {
				if k.ok(p) && p.Server == ts.URL && p.Event.Level != "" && !p.Event.Time.IsZero() {
					found = true
				}
			}
			if !found {
				t.Errorf("no delivered %s event with the expected fields: %v", k.event, rcv.events(k.event))
			}
		}
		rcv.mu.Lock()
		bad, bodies := rcv.bad, strings.Join(rcv.bodies, "\n")
		rcv.mu.Unlock()
		if len(bad) != 0 {
			t.Errorf("receiver refused: %v", bad)
		}
		for name, secret := range map[string]string{"OTP": otp1, "second OTP": otp2, "PIN": "13579", "wrong PIN": "00000",
			"password": ts.DemoPassword, "wrong password": "wrong-password", "access token": d.Access, "refresh token": d.Refresh, "admin token": wtok, "signing key": key} {
			if secret != "" && strings.Contains(bodies, secret) {
				t.Errorf("the %s is in an audit payload", name)
			}
		}
		adm := adminServer(t, ts)
		if resp, err := http.Get(adm + server.PathReady); err != nil || resp.StatusCode != 200 {
			t.Fatalf("ready with the audit webhook: %v %v", resp, err)
		} else {
			resp.Body.Close()
		}
		m := scrape(t, adm)
		for _, want := range []string{`oma_audit_webhook_deliveries_total{result="delivered"}`, `oma_audit_webhook_deliveries_total{result="retried"}`} {
			if m[want] < 1 {
				t.Errorf("metric %s = %v, want > 0", want, m[want])
			}
		}
	})
}

// Events queued while the receiver is down survive a restart: the next
// server on the same store (with the generated key kept sealed in it)
// delivers every one, each event id once. Both stores.
func TestAuditWebhookRestartLosesNothing(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		rcv := newAuditReceiver(t)
		none := ""
		rcv.key.Store(&none)
		rcv.down.Store(true)
		mk := make([]byte, 32)
		for i := range mk {
			mk[i] = byte(i + 1)
		}
		hook := auditHookConfig(rcv.srv.URL, "")
		o.Config = func(c *server.Config) { hook(c); c.MasterKey = mk }
		ts := servertest.Start(t, o)
		key, created, err := auditwebhook.LoadOrCreateKey(ctx, ts.Server.Store(), mk)
		if err != nil || created || len(key) < 32 {
			t.Fatalf("the generated key: %v created=%t", err, created)
		}
		rcv.key.Store(&key)
		// Stored sealed under the master key, never in the clear.
		var stored string
		if err := ts.Server.Store().View(ctx, func(tx store.Tx) error {
			stored, err = tx.GetSetting(ctx, "audit_webhook_key")
			return err
		}); err != nil || !strings.HasPrefix(stored, "kek1:") || strings.Contains(stored, key) {
			t.Fatalf("stored key %q: %v", stored, err)
		}

		for i := 0; i < 3; i++ {
			if _, _, err := ts.NewDevice().Login(ts.DemoUser, "wrong-password"); err == nil {
				t.Fatal("wrong password accepted")
			}
		}
		ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		var queued []string
		waitFor(t, "the events queued and tried", func() bool {
			rcv.mu.Lock()
			defer rcv.mu.Unlock()
			return rcv.tries >= 2
		})
		ts.Close()
		st, err := store.Open(ctx, ts.StoreURL)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := store.DueAudits(ctx, st, time.Now().Add(time.Hour).UnixMilli(), 100)
		_ = st.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			queued = append(queued, r.ID)
		}
		if len(queued) < 5 { // 3 failed logins, a login, an enrollment
			t.Fatalf("queued at shutdown: %d rows", len(queued))
		}

		rcv.down.Store(false)
		o.StoreURL = ts.StoreURL
		ts2 := servertest.Start(t, o)
		waitFor(t, "the queued events delivered after the restart", func() bool {
			rcv.mu.Lock()
			defer rcv.mu.Unlock()
			for _, id := range queued {
				if _, ok := rcv.payloads[id]; !ok {
					return false
				}
			}
			return true
		})
		// The last delivery is recorded just after the receiver answered.
		waitFor(t, "the outbox empty after the restart", func() bool {
			n, err := store.AuditOutboxDepth(ctx, ts2.Server.Store())
			return err == nil && n == 0
		})
		if n := len(rcv.events("login_failed")); n != 3 {
			t.Errorf("login_failed delivered %d times, want 3", n)
		}
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		if len(rcv.bad) != 0 {
			t.Errorf("receiver refused: %v", rcv.bad)
		}
	})
}
