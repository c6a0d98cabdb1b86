package sdk_test

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/webpush"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/tidwall/gjson"
)

const e2ePushType = "confirm-payment"

// pushTestServer is a Token Server sending Web Push (loopback endpoints
// allowed) with a push OTP type.
func pushTestServer(t testing.TB, tune ...func(*server.Config)) *servertest.TestServer {
	t.Helper()
	vapid, err := ecdh.P256().GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Push = push.Config{WebPush: &push.WebPushConfig{VAPIDPrivateKey: base64.RawURLEncoding.EncodeToString(vapid.Bytes()),
			Subject: "mailto:ops@example.org", AllowPrivateEndpoints: true}}
		c.PushOutbox = push.OutboxConfig{PollInterval: 50 * time.Millisecond}
		c.PushBackoff = -1
		for _, f := range tune {
			f(c)
		}
	}})
	a := ts.Server.Admin()
	if err := a.PutOTPType(context.Background(), e2ePushType, 2*time.Minute, "{message}"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetOTPTypePush(context.Background(), e2ePushType, true); err != nil {
		t.Fatal(err)
	}
	return ts
}

// pushService is the phone's loopback push service: it decrypts what the
// server sends to the subscription (RFC 8291) and hands on the data.
func pushService(t testing.TB) (sub map[string]any, got chan string) {
	keys, err := webpush.NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	got = make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		plain, err := keys.Decrypt(body)
		if err != nil {
			t.Errorf("push service: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		got <- string(plain)
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	return map[string]any{"endpoint": srv.URL + "/sub", "keys": map[string]any{"p256dh": keys.P256dh(), "auth": keys.Auth()}}, got
}

// confirmFlow runs a push handling method and answers its request.
func confirmFlow(p *phone, method string, params any, decision string) (gjson.Result, dispatch.Code) {
	p.t.Helper()
	h := p.call(method, params)
	req := p.event(api.EventMobileAuthOtp, api.ActionStartAuthentication).Get("mobileAuthenticationRequest")
	m := api.MethodAcceptMobileAuthConfirmation
	if decision == protocol.DecisionDeny {
		m = api.MethodDenyMobileAuthConfirmation
	}
	p.do(m, nil)
	code := h.code()
	p.event(api.EventMobileAuthOtp, api.ActionFinishAuthentication)
	return req, code
}

// TestE2EPush: the real core, through the dispatcher, against the real
// server: register a Web Push subscription, receive and decrypt the push,
// hand its data to the SDK, accept; then the pull path with the push
// ignored: list pending, handle it, deny.
func TestE2EPush(t *testing.T) {
	ctx := context.Background()
	ts := pushTestServer(t)
	p := newDevice(t)
	start(p, ts)
	pid := register(p, ts.DemoUser, ts.DemoPassword)
	p.do(api.MethodEnrollMobileAuthentication, nil)
	if p.do(api.MethodIsUserEnrolledForMobileAuthWithPush, map[string]any{"profileId": pid}).Bool() {
		t.Fatal("push-enrolled before enrolling")
	}
	sub, got := pushService(t)
	p.expectCode(dispatch.CodeBadParameters, api.MethodEnrollUserForMobileAuthWithPush, map[string]any{"provider": "webpush", "pushToken": "abcdefghij"})
	p.expectCode(dispatch.CodeBadParameters, api.MethodEnrollUserForMobileAuthWithPush, map[string]any{"webPushSubscription": map[string]any{"endpoint": "x"}})
	// The server's VAPID public key comes back: the applicationServerKey an app subscribes with.
	vapidPub := p.do(api.MethodEnrollUserForMobileAuthWithPush, map[string]any{"webPushSubscription": sub}).Get("vapidPublicKey").String()
	if raw, err := base64.RawURLEncoding.DecodeString(vapidPub); err != nil || len(raw) != 65 {
		t.Fatalf("enroll result vapidPublicKey %q is not a base64url P-256 point", vapidPub)
	} else if _, err := ecdh.P256().NewPublicKey(raw); err != nil {
		t.Fatalf("enroll result vapidPublicKey: %v", err)
	}
	if !p.do(api.MethodIsUserEnrolledForMobileAuthWithPush, map[string]any{"profileId": pid}).Bool() {
		t.Fatal("not push-enrolled")
	}

	const msg = "Pay 25.00 EUR to Example Shop"
	txID, raw, err := ts.CreatePushRequest(ctx, e2ePushType, ts.DemoUserID, msg)
	if err != nil || raw["auth_method"] != "PUSH" {
		t.Fatalf("create: %v %v", raw, err)
	}
	var data string
	select {
	case data = <-got:
	case <-time.After(waitLimit):
		t.Fatal("no push arrived")
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(data), &m); err != nil || len(m) != 3 || m["og_transaction_id"] != txID || m["og_profile_id"] != pid || m["og_server"] != ts.URL {
		t.Fatalf("push data %s", data)
	}
	// canHandlePushMessage: the data at the root or under content; another
	// profile or server is not for this device.
	for _, c := range []struct {
		data any
		want bool
	}{
		{json.RawMessage(data), true},
		{map[string]any{"content": json.RawMessage(data)}, true},
		{map[string]any{"content": data}, true},
		{map[string]any{"og_transaction_id": txID, "og_profile_id": "someone-else"}, false},
		{map[string]any{"og_transaction_id": txID, "og_profile_id": pid, "og_server": "https://evil.example"}, false},
		{map[string]any{"title": "hello"}, false},
	} {
		if r := p.do(api.MethodCanHandlePushMessage, map[string]any{"data": c.data}).Bool(); r != c.want {
			t.Errorf("canHandlePushMessage(%v) = %v", c.data, r)
		}
	}
	ts.ResetCounters()
	req, code := confirmFlow(p, api.MethodHandleMobileAuthWithPushRequest, map[string]any{"data": json.RawMessage(data)}, protocol.DecisionAccept)
	if code != 0 || req.Get("message").Str != msg || req.Get("transactionId").Str != txID || req.Get("type").Str != e2ePushType {
		t.Fatalf("push flow: code %d request %s", code, req.Raw)
	}
	if n := ts.DeviceRoundTrips(); n != 2 {
		t.Fatalf("push flow made %d device round trips, want 2 (claim, answer)", n)
	}
	if tr := transaction(t, ts, txID); tr.Status != "accepted" || tr.AuthenticationMethod != "PUSH" {
		t.Fatalf("RP sees %+v", tr)
	}

	// Pull: the push is ignored; the pending list has the request.
	txID2, _, err := ts.CreatePushRequest(ctx, e2ePushType, ts.DemoUserID, "Log in to Example Bank")
	if err != nil {
		t.Fatal(err)
	}
	<-got
	pending := p.do(api.MethodGetPendingMobileAuthWithPushRequests, nil).Array()
	if len(pending) != 1 || pending[0].Get("transactionId").Str != txID2 || pending[0].Get("userProfile.id").Str != pid ||
		pending[0].Get("message").Str != "Log in to Example Bank" || pending[0].Get("timeToLive").Int() <= 0 {
		t.Fatalf("pending %v", pending)
	}
	_, code = confirmFlow(p, api.MethodHandlePendingMobileAuthWithPushRequest, map[string]any{"request": json.RawMessage(pending[0].Raw)}, protocol.DecisionDeny)
	if code != dispatch.CodeCancelled {
		t.Fatalf("deny: code %d", code)
	}
	if tr := transaction(t, ts, txID2); tr.Status != "denied" {
		t.Fatalf("RP sees %+v", tr)
	}
	if n := len(p.do(api.MethodGetPendingMobileAuthWithPushRequests, nil).Array()); n != 0 {
		t.Fatalf("%d pending after the answer", n)
	}
	// An answered request cannot be handled again.
	p.expectCode(dispatch.CodeAlreadyHandled, api.MethodHandleMobileAuthWithPushRequest, map[string]any{"data": json.RawMessage(data)})
}
