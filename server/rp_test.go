package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

func TestRPCreateValidation(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	long := strings.Repeat("é", 156)
	_, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: long})
	wantRPErr(t, err, 400, httpio.RPCodeMessageTooLong)
	if _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: long[:155*2]}); err != nil {
		t.Fatalf("155 characters refused: %v", err)
	}
	_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", CallbackURI: "https://evil.example/cb"})
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam)
	_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", Type: "no-such-type"})
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam)
	_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", UserID: "nobody"})
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam)
	_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", IPAddress: "999.1.1.1"})
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam)
	_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{})
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam)

	// A per-client maximum overrides the default.
	if _, err := ts.Server.Admin().CreateAPIClient(ctx, server.APIClientSpec{ID: "verbose", Secret: "verbose-secret-0123456789abcdefghij", MaxMessageLen: 300}); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"type": ts.OTPType, "message": strings.Repeat("x", 300)})
	req, _ := http.NewRequest(http.MethodPost, ts.URL+rp.PathCreate, strings.NewReader(string(body)))
	req.SetBasicAuth("verbose", "verbose-secret-0123456789abcdefghij")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var cr rp.CreateResponse
	_ = json.NewDecoder(resp.Body).Decode(&cr)
	resp.Body.Close()
	if resp.StatusCode != 200 || cr.TimeToLive != 300000 || cr.AuthMethod != rp.AuthMethod || len(cr.OTP) != protocol.OTPLength {
		t.Fatalf("JSON create: %d %+v", resp.StatusCode, cr)
	}
	// Another API client cannot see it.
	_, err = ts.Transaction(ctx, cr.TransactionID)
	wantRPErr(t, err, 404, httpio.RPCodeNotFound)
	_, err = ts.Transaction(ctx, "no-such-transaction")
	wantRPErr(t, err, 404, httpio.RPCodeNotFound)
}

func TestRPBasicAuth(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	for name, set := range map[string]func(r *http.Request){
		"none":           func(r *http.Request) {},
		"wrong secret":   func(r *http.Request) { r.SetBasicAuth(ts.APIClientID, ts.APIClientSecret+"x") },
		"unknown client": func(r *http.Request) { r.SetBasicAuth("nobody", ts.APIClientSecret) },
		"empty":          func(r *http.Request) { r.SetBasicAuth("", "") },
		"not base64":     func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!not-base64") },
		"bearer":         func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+ts.APIClientSecret) },
		"no colon":       func(r *http.Request) { r.Header.Set("Authorization", "Basic ZGVtby1ycA==") },
	} {
		for _, target := range []struct{ method, path string }{{"POST", rp.PathCreate}, {"GET", rp.PathTransaction + "x"}, {"GET", rp.PathTransaction + "x/events"}} {
			req, _ := http.NewRequest(target.method, ts.URL+target.path, strings.NewReader("type=demo&message=hi"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			set(req)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var e httpio.RPError
			_ = json.NewDecoder(resp.Body).Decode(&e)
			resp.Body.Close()
			if resp.StatusCode != 401 || e.Err != "invalid_client" || e.Code == 0 || resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: %d %+v", name, target.path, resp.StatusCode, e)
			}
		}
	}
}

// The browser wait extension: a long poll returns as soon as the answer is in.
func TestRPLongPollAndEvents(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	id, otp := newRequest(t, ts, rp.CreateParams{})

	// SSE stream.
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(sctx, http.MethodGet, ts.URL+rp.PathTransaction+id+"/events", nil)
	req.SetBasicAuth(ts.APIClientID, ts.APIClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %v %v", resp, err)
	}
	defer resp.Body.Close()
	events := make(chan rp.Transaction, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var tr rp.Transaction
				_ = json.Unmarshal([]byte(data), &tr)
				events <- tr
			}
		}
		close(events)
	}()
	if e := <-events; e.Status != "pending" {
		t.Fatalf("first event %+v", e)
	}

	type result struct {
		tr  rp.Transaction
		err error
		dur time.Duration
	}
	polled := make(chan result, 1)
	go func() {
		start := time.Now()
		tr, err := ts.WaitTransaction(ctx, id, 20)
		polled <- result{tr, err, time.Since(start)}
	}()
	time.Sleep(100 * time.Millisecond)
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil {
		t.Fatal(err)
	}
	r := <-polled
	if r.err != nil || r.tr.Status != "accepted" || r.dur > 10*time.Second {
		t.Fatalf("long poll: %+v %v after %v", r.tr, r.err, r.dur)
	}
	var last rp.Transaction
	for e := range events {
		last = e
	}
	if last.Status != "accepted" || !last.IsAuthenticated {
		t.Fatalf("last event %+v", last)
	}
	// wait=0 returns at once; out-of-range waits are refused.
	if tr, err := ts.WaitTransaction(ctx, id, 0); err != nil || tr.Status != "accepted" {
		t.Fatalf("wait=0: %+v %v", tr, err)
	}
	err = ts.RPDo(ctx, http.MethodGet, rp.PathTransaction+id+"?wait=31", "", nil, nil)
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam)
	err = ts.RPDo(ctx, http.MethodGet, rp.PathTransaction+id+"?wait=soon", "", nil, nil)
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam)
}

// A long poll on a pending transaction ends at its wait time with the state.
func TestRPLongPollTimesOut(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	id, _ := newRequest(t, ts, rp.CreateParams{})
	start := time.Now()
	tr, err := ts.WaitTransaction(ctx, id, 1)
	if err != nil || tr.Status != "pending" || time.Since(start) < 900*time.Millisecond {
		t.Fatalf("wait=1: %+v %v after %v", tr, err, time.Since(start))
	}
}

// A graceful shutdown answers waiting long polls at once.
func TestLongPollEndsAtShutdown(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	id, _ := newRequest(t, ts, rp.CreateParams{})
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		tr, err := ts.WaitTransaction(ctx, id, 30)
		if err == nil && tr.Status != "pending" {
			err = fmt.Errorf("status %s", tr.Status)
		}
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	ts.Close()
	if err := <-done; err != nil {
		t.Fatalf("long poll at shutdown: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("shutdown waited %v for the long poll", d)
	}
}

// In-process admin changes apply at once despite the relying-party caches.
func TestAdminChangesApplyAtOnce(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	cb := "https://rp.example/late-callback"
	_, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", CallbackURI: cb})
	wantRPErr(t, err, 400, httpio.RPCodeInvalidParam) // caches the API client
	ts.AllowCallback(cb)
	if _, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi", CallbackURI: cb}); err != nil {
		t.Fatalf("callback allowed just now: %v", err)
	}
	if err := ts.Server.Admin().PutOTPType(ctx, ts.OTPType, 42*time.Second, "{message}"); err != nil {
		t.Fatal(err)
	}
	var cr rp.CreateResponse
	if err := ts.RPDo(ctx, http.MethodPost, rp.PathCreate, "application/x-www-form-urlencoded", []byte("type=demo&message=hi"), &cr); err != nil || cr.TimeToLive != 42000 {
		t.Fatalf("new expiry: %+v %v", cr, err)
	}
}
