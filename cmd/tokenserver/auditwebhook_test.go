package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/servertest"
)

// tokenserver audit-webhook key prints the key a running server generated
// and signs its audit deliveries with: a receiver given that key verifies
// them.
func TestAuditWebhookKeyVerifiesDeliveries(t *testing.T) {
	var key atomic.Pointer[string]
	var good atomic.Int32
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		k := key.Load()
		if k == nil || outbox.Verify(*k, r.Header, b, time.Now(), time.Minute) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		good.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rcv.Close()
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.AuditWebhookURL = rcv.URL
		c.AuditWebhook = outbox.Config{BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond}
	}})
	ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	c, out, e := runCmd(t, "audit-webhook", "key", "--store", ts.StoreURL)
	m := regexp.MustCompile(`X-OMA-Key-Id ([0-9a-f]{16})\):\n(\S{32,})\n`).FindStringSubmatch(out)
	if c != 0 || m == nil {
		t.Fatalf("audit-webhook key: %d %q %q", c, out, e)
	}
	key.Store(&m[2])
	deadline := time.Now().Add(10 * time.Second)
	for good.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if good.Load() < 2 {
		t.Fatalf("no delivery verified with the printed key (%d)", good.Load())
	}
	if c, _, _ := runCmd(t, "audit-webhook", "--store", ts.StoreURL); c != 2 {
		t.Error("audit-webhook without key is not a usage error")
	}
}
