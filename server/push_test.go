package server_test

import (
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/webpush"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

const pushType = "push-login"

// pushReceiver is a loopback Web Push service standing in for the phone's push
// service: it opens each message with the subscription's keys (RFC 8291).
type pushReceiver struct {
	t      testing.TB
	keys   *webpush.Keys
	srv    *httptest.Server
	status atomic.Int32 // answer to give (0: 201)
	hits   atomic.Int32
	gate   chan struct{} // when set, each request waits for it
	got    chan map[string]string
}

func newPushReceiver(t testing.TB) *pushReceiver {
	k, err := webpush.NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &pushReceiver{t: t, keys: k, got: make(chan map[string]string, 16)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *pushReceiver) serve(w http.ResponseWriter, req *http.Request) {
	r.hits.Add(1)
	if r.gate != nil {
		<-r.gate
	}
	if s := r.status.Load(); s != 0 {
		w.WriteHeader(int(s))
		return
	}
	body, _ := io.ReadAll(req.Body)
	plain, err := r.keys.Decrypt(body)
	if err != nil {
		r.t.Errorf("pushReceiver: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var m map[string]string
	if err := json.Unmarshal(plain, &m); err != nil {
		r.t.Errorf("pushReceiver: payload %v", err)
	}
	r.got <- m
	w.WriteHeader(http.StatusCreated)
}

func (r *pushReceiver) subscription(path string) protocol.PushRegisterRequest {
	return protocol.PushRegisterRequest{Provider: protocol.PushProviderWebPush, Endpoint: r.srv.URL + path, P256dh: r.keys.P256dh(), Auth: r.keys.Auth()}
}

func (r *pushReceiver) next(t testing.TB) map[string]string {
	t.Helper()
	select {
	case m := <-r.got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no push arrived")
		return nil
	}
}

// pushServer starts a test server with the webpush driver (VAPID key made
// here, loopback endpoints allowed) and a push OTP type.
func pushServer(t testing.TB, o servertest.Options, tune func(*server.Config)) *servertest.TestServer {
	t.Helper()
	vapid, err := ecdh.P256().GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Config = func(c *server.Config) {
		c.Push = push.Config{WebPush: &push.WebPushConfig{VAPIDPrivateKey: base64.RawURLEncoding.EncodeToString(vapid.Bytes()),
			Subject: "mailto:ops@example.org", AllowPrivateEndpoints: true}}
		c.PushOutbox = push.OutboxConfig{BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond, Timeout: 5 * time.Second}
		if tune != nil {
			tune(c)
		}
	}
	ts := servertest.Start(t, o)
	a := ts.Server.Admin()
	if err := a.PutOTPType(ctx, pushType, 2*time.Minute, "{message}"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetOTPTypePush(ctx, pushType, true); err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestPushFlow(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := pushServer(t, o, nil)
		rcv := newPushReceiver(t)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		reg, err := d.RegisterPush(rcv.subscription("/sub/1"))
		if err != nil {
			t.Fatal(err)
		}
		if reg.VAPIDPublicKey == "" || reg.Provider != "webpush" {
			t.Fatalf("registration %+v", reg)
		}
		const msg = "Pay 25.00 EUR to Example Shop?"
		id, raw, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, msg)
		if err != nil {
			t.Fatal(err)
		}
		if raw["auth_method"] != "PUSH" || raw["otp"] != nil || raw["time_to_live"] != float64(120000) {
			t.Fatalf("create answer %v", raw)
		}
		// The push holds the ids and the server, nothing else.
		got := rcv.next(t)
		want := map[string]string{"og_transaction_id": id, "og_profile_id": d.ProfileID, "og_server": ts.URL}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("push payload %v, want %v", got, want)
		}
		pend, err := d.Pending()
		if err != nil || len(pend) != 1 || pend[0].TransactionID != id || pend[0].Message != msg || pend[0].ProfileID != d.ProfileID || pend[0].Type != pushType {
			t.Fatalf("pending %+v %v", pend, err)
		}
		one, err := d.PushRequest(id)
		if err != nil || !reflect.DeepEqual(one, pend[0]) {
			t.Fatalf("fetch by id %+v %v", one, err)
		}
		c, err := d.PushClaim(id)
		if err != nil || c.Message != msg || c.Nonce == "" {
			t.Fatalf("claim %+v %v", c, err)
		}
		if _, err := d.PushClaim(id); err == nil {
			t.Fatal("claimed twice")
		}
		if p, _ := d.Pending(); len(p) != 0 {
			t.Fatalf("a claimed request is still pending: %+v", p)
		}
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil {
			t.Fatal(err)
		}
		tr, err := ts.Transaction(ctx, id)
		if err != nil || tr.Status != store.StatusAccepted || !tr.IsAuthenticated || tr.AuthenticationMethod != "PUSH" || tr.UserID != ts.DemoUserID {
			t.Fatalf("RP view %+v %v", tr, err)
		}
		// An OTP request still says OTP.
		otpID, _ := newRequest(t, ts, rp.CreateParams{})
		if v, _ := ts.Transaction(ctx, otpID); v.AuthenticationMethod != "OTP" {
			t.Fatalf("OTP request shows %q", v.AuthenticationMethod)
		}
	})
}

// Invariant 5 for push: a request for user A is never listed for, shown to
// or answerable by user B's device.
func TestPushOtherUsersDevice(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := pushServer(t, o, nil)
		a := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		b := ts.Enrolled(ts.CreateUser("bob", "bob-password"), "bob-password", "24680")
		rcvA, rcvB := newPushReceiver(t), newPushReceiver(t)
		if _, err := a.RegisterPush(rcvA.subscription("/a")); err != nil {
			t.Fatal(err)
		}
		if _, err := b.RegisterPush(rcvB.subscription("/b")); err != nil {
			t.Fatal(err)
		}
		const msg = "Transfer 5000 EUR to account NL00EXAM0123456789?"
		id, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, msg)
		if err != nil {
			t.Fatal(err)
		}
		rcvA.next(t)
		if p, err := b.Pending(); err != nil || len(p) != 0 {
			t.Fatalf("B's pending: %+v %v", p, err)
		}
		_, err = b.PushRequest(id)
		servertest.WantError(t, err, protocol.ErrNotFound)
		_, err = b.PushClaim(id)
		if e := servertest.WantError(t, err, protocol.ErrNotFound); strings.Contains(e.ErrorDescription, "Transfer") {
			t.Fatal("the refusal shows the message")
		}
		// B naming A's profile: not B's client's profile.
		b2 := *b
		b2.ProfileID = a.ProfileID
		_, err = b2.PushClaim(id)
		servertest.WantError(t, err, protocol.ErrUserDeregistered)
		// B cannot answer A's request: it never claimed it, and a forged
		// claim response signed by B is refused even after A claims.
		c, err := a.PushClaim(id)
		if err != nil {
			t.Fatal(err)
		}
		forged := b.SignedAnswer(c, protocol.DecisionAccept, nil)
		forged.ProfileID = b.ProfileID
		_, err = b.Answer(forged)
		servertest.WantError(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, id); s != store.StatusClaimed {
			t.Fatalf("status %s after B's answer", s)
		}
		if _, err := a.Answer(a.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
			t.Fatal(err)
		}
		// No push ever reached B.
		if n := rcvB.hits.Load(); n != 0 {
			t.Fatalf("B's push service got %d requests", n)
		}
		// A push request is not claimable with the OTP path either: there is
		// no OTP, and a request id is not one.
		_, err = a.Claim(id)
		if err == nil {
			t.Fatal("OTP claim of a push request")
		}
	})
}

func TestPushBombingLimits(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := pushServer(t, o, func(c *server.Config) { c.PushBackoff = 10 * time.Second; c.PushBackoffMax = 40 * time.Second })
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id1, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?")
		if err != nil {
			t.Fatal(err)
		}
		// At most one open request: the next is refused (not replacing).
		_, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in again?")
		var re *servertest.RPError
		if !errors.As(err, &re) || re.Status != http.StatusTooManyRequests || re.Err != "too_many_pending" {
			t.Fatalf("second open request: %v", err)
		}
		if p, _ := d.Pending(); len(p) != 1 || p[0].TransactionID != id1 {
			t.Fatalf("the open request was replaced: %+v", p)
		}
		// Answered: the limit frees, but the back-off holds (10 s after the first).
		c, err := d.PushClaim(id1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
			t.Fatal(err)
		}
		_, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?")
		if !errors.As(err, &re) || re.Status != http.StatusTooManyRequests || re.Err != "rate_limited" {
			t.Fatalf("within the back-off: %v", err)
		}
		ts.Clock.Advance(10 * time.Second)
		id2, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?")
		if err != nil {
			t.Fatalf("after the back-off: %v", err)
		}
		// Expired requests are neither pending nor counted; the back-off
		// doubled (20 s after the second).
		ts.Clock.Advance(2*time.Minute + time.Second)
		if p, err := d.Pending(); err != nil || len(p) != 0 {
			t.Fatalf("expired request pending: %+v %v", p, err)
		}
		_, err = d.PushRequest(id2)
		servertest.WantError(t, err, protocol.ErrNotFound)
		if _, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?"); err != nil {
			t.Fatalf("after expiry: %v", err)
		}
		// A push type needs user_id; a user without a device is refused.
		if _, _, err := ts.CreatePushRequest(ctx, pushType, "", "Log in?"); !errors.As(err, &re) || re.Code != 1003 {
			t.Fatalf("no user_id: %v", err)
		}
		ts.CreateUser("carol", "carol-password")
		if _, _, err := ts.CreatePushRequest(ctx, pushType, "carol", "Log in?"); !errors.As(err, &re) || re.Code != 1003 || !strings.Contains(re.Description, "no device") {
			t.Fatalf("user without a device: %v", err)
		}
		if _, _, err := ts.CreatePushRequest(ctx, pushType, "nobody", "Log in?"); !errors.As(err, &re) || re.Code != 1003 {
			t.Fatalf("unknown user: %v", err)
		}
	})
}

func TestPushDeliveryOutcomes(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := pushServer(t, o, func(c *server.Config) { c.PushBackoff = -1 })
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		rcv := newPushReceiver(t)
		if _, err := d.RegisterPush(rcv.subscription("/s")); err != nil {
			t.Fatal(err)
		}
		st := ts.Server.Store()
		target := func() store.PushTarget {
			var p store.PushTarget
			if err := st.View(ctx, func(tx store.Tx) error {
				var err error
				p, err = tx.GetPushTarget(ctx, d.Enrollment)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		answer := func(id string) {
			c, err := d.PushClaim(id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
				t.Fatal(err)
			}
		}
		// 503 twice, then delivered: retried by the outbox.
		rcv.status.Store(503)
		id, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "one")
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "two failed attempts", func() bool { return rcv.hits.Load() >= 2 })
		rcv.status.Store(0)
		if m := rcv.next(t); m["og_transaction_id"] != id {
			t.Fatalf("delivered %v", m)
		}
		answer(id)

		// The creation never waits for the provider: the push service holds
		// every request until the create has answered.
		rcv.gate = make(chan struct{})
		id, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "two")
		if err != nil {
			t.Fatal(err)
		}
		close(rcv.gate)
		rcv.next(t)
		rcv.gate = nil
		answer(id)

		// 410 Gone: the token is marked invalid and no longer used.
		hits := rcv.hits.Load()
		rcv.status.Store(http.StatusGone)
		id, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "three")
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the token marked invalid", func() bool { return target().Invalid })
		if p := target(); p.InvalidReason != "webpush_http_410" {
			t.Fatalf("target %+v", p)
		}
		answer(id)
		if rcv.hits.Load() != hits+1 {
			t.Fatalf("410 answered %d times: the outbox retried it", rcv.hits.Load()-hits)
		}
		hits = rcv.hits.Load()
		id, _, err = ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "four")
		if err != nil {
			t.Fatal(err)
		}
		// Pull still works without a push.
		if p, err := d.Pending(); err != nil || len(p) != 1 || p[0].TransactionID != id {
			t.Fatalf("pending without push: %+v %v", p, err)
		}
		time.Sleep(300 * time.Millisecond) // several outbox polls
		if n := rcv.hits.Load(); n != hits {
			t.Fatalf("an invalid token was pushed to (%d requests)", n-hits)
		}
		answer(id)
		// Registering again makes it valid.
		rcv.status.Store(0)
		if _, err := d.RegisterPush(rcv.subscription("/s2")); err != nil {
			t.Fatal(err)
		}
		if p := target(); p.Invalid || p.Endpoint != rcv.srv.URL+"/s2" {
			t.Fatalf("re-registered target %+v", p)
		}
	})
}

func TestPushRegistrationAndPollLimits(t *testing.T) {
	ts := pushServer(t, servertest.Options{}, func(c *server.Config) {
		c.Limits.PushPollPerClient = ratelimit.Limit{Rate: 0.001, Burst: 8}
	})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	rcv := newPushReceiver(t)
	sub := rcv.subscription("/x")
	for name, mutate := range map[string]func(*protocol.PushRegisterRequest){
		"unknown provider": func(r *protocol.PushRegisterRequest) { r.Provider = "sms" },
		"fcm not configured": func(r *protocol.PushRegisterRequest) {
			*r = protocol.PushRegisterRequest{Provider: "fcm", Token: "abcdefghijkl"}
		},
		"relative endpoint": func(r *protocol.PushRegisterRequest) { r.Endpoint = "/x" },
		"bad p256dh":        func(r *protocol.PushRegisterRequest) { r.P256dh = "AAAA" },
		"short auth":        func(r *protocol.PushRegisterRequest) { r.Auth = "AAAA" },
	} {
		r := sub
		mutate(&r)
		if _, err := d.RegisterPush(r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// 5 registrations spent; 3 polls left, then rate_limited.
	var err error
	for i := 0; i < 4 && err == nil; i++ {
		_, err = d.Pending()
	}
	servertest.WantError(t, err, protocol.ErrRateLimited)
}

// TestPushOutboxSurvivesRestart: a push job whose provider was down is sent
// by the next server on the same store (the job is a store row, not memory).
func TestPushOutboxSurvivesRestart(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := pushServer(t, o, nil)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		rcv := newPushReceiver(t)
		if _, err := d.RegisterPush(rcv.subscription("/r")); err != nil {
			t.Fatal(err)
		}
		rcv.status.Store(http.StatusServiceUnavailable)
		id, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "after the restart")
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "a failed attempt", func() bool { return rcv.hits.Load() >= 2 })
		ts.Close()
		rcv.status.Store(0)
		o.StoreURL = ts.StoreURL
		ts2 := pushServer(t, o, nil)
		if m := rcv.next(t); m["og_transaction_id"] != id || m["og_server"] != ts2.URL {
			t.Fatalf("after restart: %v", m)
		}
	})
}

// Push tokens and subscription endpoints are credentials of the device: they
// reach no log line (invariant 8), whatever the driver.
func TestPushTokensNeverLogged(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Push = push.Config{Driver: push.DriverLog}
		c.PushOutbox = push.OutboxConfig{PollInterval: 20 * time.Millisecond}
	}})
	a := ts.Server.Admin()
	if err := a.PutOTPType(ctx, pushType, time.Minute, "{message}"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetOTPTypePush(ctx, pushType, true); err != nil {
		t.Fatal(err)
	}
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	const token = "fcmTOKENsecret0123456789abcdef"
	if _, err := d.RegisterPush(protocol.PushRegisterRequest{Provider: protocol.PushProviderFCM, Token: token}); err != nil {
		t.Fatal(err)
	}
	id, _, err := ts.CreatePushRequest(ctx, pushType, ts.DemoUserID, "Log in?")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the log driver's line", func() bool { return strings.Contains(ts.Logs.String(), "push (log driver)") })
	logs := ts.Logs.String()
	if !strings.Contains(logs, id) {
		t.Fatal("the push is not logged by its transaction id")
	}
	if strings.Contains(logs, token) || strings.Contains(logs, "TOKENsecret") {
		t.Fatalf("the push token reached the log:\n%s", logs)
	}
	// A Web Push subscription's endpoint and keys: registered, and absent
	// from the log too.
	rcv := newPushReceiver(t)
	sub := rcv.subscription("/x")
	sub.Endpoint = "https://push.example/SECRETPATH"
	if _, err := d.RegisterPush(sub); err != nil {
		t.Fatal(err)
	}
	if l := ts.Logs.String(); strings.Contains(l, "SECRETPATH") || strings.Contains(l, sub.Auth) || strings.Contains(l, sub.P256dh) {
		t.Fatalf("the subscription reached the log:\n%s", l)
	}
}
