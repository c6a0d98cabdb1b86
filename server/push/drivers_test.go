package push

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/core/webpush"
)

func TestRouter(t *testing.T) {
	f := newFakePushService(t, false)
	file, pub := newVAPIDFile(t)
	env := map[string]string{
		"OMA_PUSH_VAPID_PRIVATE_KEY_FILE": file,
		"OMA_PUSH_VAPID_SUBJECT":          "mailto:ops@example.org",
		"OMA_PUSH_WEBPUSH_ALLOW_PRIVATE":  "1",
	}
	cfg := FromEnv(func(k string) string { return env[k] })
	if s := cfg.String(); strings.Contains(s, file) || !strings.Contains(s, "webpush") {
		t.Fatalf("String() = %q", s)
	}
	r, err := New(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if r.Driver() != DriverProviders || r.VAPIDPublicKey() != pub || !r.Supports(ProviderWebPush) || r.Supports(ProviderFCM) || r.Supports("sms") {
		t.Fatalf("router %s %v", r.Driver(), r.Providers())
	}
	keys, _ := webpush.NewKeys(nil)
	m := Message{TransactionID: "tx", ProfileID: "p"}
	if res := r.Send(context.Background(), Target{Provider: ProviderWebPush, Endpoint: f.srv.URL + "/s", P256dh: keys.P256dh(), Auth: keys.Auth()}, m); res.Status != Delivered {
		t.Fatalf("webpush via router: %+v", res)
	}
	if res := r.Send(context.Background(), Target{Provider: ProviderFCM, Token: "x"}, m); res.Status != Failed || res.Reason != "provider_not_configured" {
		t.Fatalf("fcm not configured: %+v", res)
	}
}

func TestLogAndNoneDrivers(t *testing.T) {
	var buf bytes.Buffer
	r, err := New(Config{Driver: DriverLog}, zerolog.New(&buf))
	if err != nil {
		t.Fatal(err)
	}
	const secretToken = "fcm-token-SECRET-123"
	res := r.Send(context.Background(), Target{Provider: ProviderFCM, Token: secretToken, Endpoint: "https://push.example/SECRET", Auth: "SECRETAUTH"}, Message{TransactionID: "tx-9", ProfileID: "p-9"})
	if res.Status != Delivered || !r.Supports(ProviderAPNs) {
		t.Fatalf("log: %+v", res)
	}
	if out := buf.String(); !strings.Contains(out, "tx-9") || strings.Contains(out, "SECRET") {
		t.Fatalf("log line %q", out)
	}
	n, _ := New(Config{}, zerolog.Nop())
	if n.Driver() != DriverNone || n.Send(context.Background(), Target{}, Message{}).Status != Delivered {
		t.Fatal("none driver")
	}
	if _, err := New(Config{Driver: "providers"}, zerolog.Nop()); err == nil {
		t.Fatal("providers with none configured accepted")
	}
	if _, err := New(Config{Driver: "smoke-signals"}, zerolog.Nop()); err == nil {
		t.Fatal("unknown driver accepted")
	}
}

func TestRetryAfter(t *testing.T) {
	now := mustTime("Mon, 02 Jan 2026 15:04:05 GMT")
	for _, c := range []struct {
		v    string
		want string
	}{
		{"", "0s"}, {"17", "17s"}, {"-3", "0s"}, {"abc", "0s"}, {"999999999", "1h0m0s"},
		{"Mon, 02 Jan 2026 15:05:05 GMT", "1m0s"}, {"Mon, 02 Jan 2026 15:00:00 GMT", "0s"},
	} {
		h := make(map[string][]string)
		if c.v != "" {
			h["Retry-After"] = []string{c.v}
		}
		if got := retryAfter(h, now).String(); got != c.want {
			t.Errorf("Retry-After %q: %s, want %s", c.v, got, c.want)
		}
	}
	if reasonCode("x", "Bad Token abc/def") != "x_other" || reasonCode("x", "BadDeviceToken") != "x_BadDeviceToken" {
		t.Fatal("reasonCode")
	}
}
