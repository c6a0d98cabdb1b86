package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// Long polls and event streams outlive the server's read and write timeouts
// (they extend their own deadlines).
func TestWaitingOutlivesServerTimeouts(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.ReadTimeout = 500 * time.Millisecond
		c.WriteTimeout = 700 * time.Millisecond
	}})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	id, otp := newRequest(t, ts, rp.CreateParams{})
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(sctx, http.MethodGet, ts.URL+rp.PathTransaction+id+"/events", nil)
	req.SetBasicAuth(ts.APIClientID, ts.APIClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var tr rp.Transaction
				_ = json.Unmarshal([]byte(data), &tr)
				events <- tr.Status
			}
		}
		close(events)
	}()
	<-events // pending
	polled := make(chan string, 1)
	go func() {
		tr, err := ts.WaitTransaction(ctx, id, 10)
		if err != nil {
			polled <- err.Error()
			return
		}
		polled <- tr.Status
	}()
	time.Sleep(1500 * time.Millisecond) // beyond both timeouts
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil {
		t.Fatal(err)
	}
	if s := <-polled; s != "accepted" {
		t.Fatalf("long poll after the timeouts: %s", s)
	}
	var last string
	for s := range events {
		last = s
	}
	if last != "accepted" {
		t.Fatalf("event stream after the timeouts ended at %q", last)
	}
}
