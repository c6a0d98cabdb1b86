package outbox

import (
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	now := time.Unix(1700000000, 0)
	body := []byte(`{"callback_uri":"https://rp/cb","transaction_id":"t"}`)
	sig := Sign("s3cret", "1700000000", body)
	if err := VerifySignature("s3cret", "1700000000", sig, body, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		secret, ts, sig string
		body            []byte
	}{
		"wrong secret": {"other", "1700000000", sig, body},
		"changed body": {"s3cret", "1700000000", sig, []byte(`{}`)},
		"changed ts":   {"s3cret", "1700000001", sig, body},
		"stale":        {"s3cret", "1699990000", Sign("s3cret", "1699990000", body), body},
		"bad ts":       {"s3cret", "soon", sig, body},
		"no prefix":    {"s3cret", "1700000000", sig[7:], body},
	} {
		if VerifySignature(c.secret, c.ts, c.sig, c.body, now, time.Minute) == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestBackoff(t *testing.T) {
	w := &Worker{cfg: Config{BaseBackoff: time.Second, MaxBackoff: 10 * time.Second}}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, d := range want {
		if got := w.backoff(i + 1); got != d {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, d)
		}
	}
}
