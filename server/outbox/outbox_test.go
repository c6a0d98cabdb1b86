package outbox

import (
	"net/http"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	now := time.Unix(1700000000, 0)
	body := []byte(`{"callback_uri":"https://rp/cb","transaction_id":"t"}`)
	hdr := func(ts, event, sig string) http.Header {
		h := http.Header{}
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderEventID, event)
		h.Set(HeaderSignature, sig)
		return h
	}
	sig := Sign("k3y", "1700000000", "ev1", body)
	if err := Verify("k3y", hdr("1700000000", "ev1", sig), body, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		key  string
		h    http.Header
		body []byte
	}{
		"wrong key":       {"other", hdr("1700000000", "ev1", sig), body},
		"changed body":    {"k3y", hdr("1700000000", "ev1", sig), []byte(`{}`)},
		"changed ts":      {"k3y", hdr("1700000001", "ev1", sig), body},
		"changed event":   {"k3y", hdr("1700000000", "ev2", sig), body},
		"no event id":     {"k3y", hdr("1700000000", "", Sign("k3y", "1700000000", "", body)), body},
		"stale":           {"k3y", hdr("1699990000", "ev1", Sign("k3y", "1699990000", "ev1", body)), body},
		"bad ts":          {"k3y", hdr("soon", "ev1", sig), body},
		"no prefix":       {"k3y", hdr("1700000000", "ev1", sig[3:]), body},
		"old sha256 form": {"k3y", hdr("1700000000", "ev1", "sha256="+sig[3:]), body},
	} {
		if Verify(c.key, c.h, c.body, now, time.Minute) == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestBackoff(t *testing.T) {
	w := &Retrier[int]{cfg: Config{BaseBackoff: time.Second, MaxBackoff: 10 * time.Second}}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, d := range want {
		if got := w.backoff(i + 1); got != d {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, d)
		}
	}
}
