package main

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// TestPhoneListenAndPending: end to end on loopback through the real bridge:
// the relying party creates a push request, the Web Push reaches the
// listening phone (its own push receiver), is decrypted there and accepted;
// then with the push lost (the phone not listening) `phone pending` pulls
// the next request and denies it.
func TestPhoneListenAndPending(t *testing.T) {
	vapid, err := ecdh.P256().GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Push = push.Config{WebPush: &push.WebPushConfig{VAPIDPrivateKey: base64.RawURLEncoding.EncodeToString(vapid.Bytes()),
			Subject: "mailto:ops@example.org", AllowPrivateEndpoints: true}}
		c.PushOutbox = push.OutboxConfig{PollInterval: 50 * time.Millisecond, BaseBackoff: 50 * time.Millisecond, MaxAttempts: 2}
		c.PushBackoff = -1
	}})
	ctx := context.Background()
	a := ts.Server.Admin()
	if err := a.PutOTPType(ctx, "confirm", 2*time.Minute, "{message}"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetOTPTypePush(ctx, "confirm", true); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	ph := func(stdin string, args ...string) (int, string) {
		return phoneRun(t, stdin, append(args, "--data", data, "--server", ts.URL)...)
	}
	code, out := ph("", "register", "--user", ts.DemoUser, "--password", ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	code, out = ph("", "enroll", "--pin", "24680")
	mustOK(t, code, out, "enroll")

	type result struct {
		code int
		out  string
	}
	done := make(chan result, 1)
	go func() {
		c, o := ph("", "listen", "--accept", "--count", "1", "--timeout", "30s")
		done <- result{c, o}
	}()
	// Wait for the subscription to reach the server.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		_ = ts.Server.Store().View(ctx, func(tx store.Tx) error {
			ps, err := tx.PushTargetsOfUser(ctx, ts.DemoUserID)
			n = len(ps)
			return err
		})
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the listening phone never registered its subscription")
		}
		time.Sleep(20 * time.Millisecond)
	}
	txID, _, err := ts.CreatePushRequest(ctx, "confirm", ts.DemoUserID, "Pay 25.00 EUR to Example Shop")
	if err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(40 * time.Second):
		t.Fatal("phone listen did not finish")
	}
	mustOK(t, r.code, r.out, "listen")
	if !strings.Contains(r.out, "Push received.") || !strings.Contains(r.out, "Pay 25.00 EUR to Example Shop") || !strings.Contains(r.out, "Accepted.") {
		t.Fatalf("listen output:\n%s", r.out)
	}
	if tr, err := ts.Transaction(ctx, txID); err != nil || tr.Status != "accepted" || tr.AuthenticationMethod != "PUSH" {
		t.Fatalf("RP sees %+v %v", tr, err)
	}

	// The push is lost (nobody listens); the phone pulls.
	txID, _, err = ts.CreatePushRequest(ctx, "confirm", ts.DemoUserID, "Log in to Example Bank")
	if err != nil {
		t.Fatal(err)
	}
	code, out = ph("", "pending", "--deny")
	mustOK(t, code, out, "pending")
	if !strings.Contains(out, "1 pending request(s):") || !strings.Contains(out, "Log in to Example Bank") || !strings.Contains(out, "Denied.") {
		t.Fatalf("pending output:\n%s", out)
	}
	if tr, err := ts.Transaction(ctx, txID); err != nil || tr.Status != "denied" {
		t.Fatalf("RP sees %+v %v", tr, err)
	}
	code, out = ph("", "pending")
	mustOK(t, code, out, "pending (none)")
	if !strings.Contains(out, "No pending requests.") {
		t.Fatalf("pending output:\n%s", out)
	}
}
