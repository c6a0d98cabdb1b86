package push

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/webpush"
	"github.com/openmobileauth/oma/server/egress"
)

// fakePushService is a loopback RFC 8030 push service that checks the VAPID
// authorization (RFC 8292) and keeps the encrypted bodies.
type fakePushService struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	hdrs   []http.Header
}

func newFakePushService(t *testing.T, tls bool) *fakePushService {
	f := &fakePushService{t: t}
	if tls {
		f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	} else {
		f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePushService) serve(w http.ResponseWriter, r *http.Request) {
	t := f.t
	body, _ := io.ReadAll(r.Body)
	// RFC 8292 §3: Authorization: vapid t=<JWT>, k=<public key>.
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "vapid t=")
	jwt, k, ok2 := strings.Cut(rest, ", k=")
	if !ok || !ok2 {
		t.Errorf("authorization %q", auth)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	pubRaw, err := base64.RawURLEncoding.DecodeString(k)
	if err != nil || len(pubRaw) != 65 {
		t.Errorf("k= %q", k)
	}
	x, y := elliptic.Unmarshal(elliptic.P256(), pubRaw) //nolint:staticcheck // test-side point decoding
	h, c, input, sig := jwtParts(t, jwt)
	if x == nil || !verifyES256(&ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: new(big.Int).Set(y)}, input, sig) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	exp, _ := c["exp"].(float64)
	if h["alg"] != "ES256" || c["aud"] != f.srv.URL || c["sub"] != "mailto:ops@example.org" ||
		time.Until(time.Unix(int64(exp), 0)) > 24*time.Hour || time.Until(time.Unix(int64(exp), 0)) <= 0 {
		t.Errorf("VAPID header %v claims %v", h, c)
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Encoding") != "aes128gcm" ||
		r.Header.Get("Content-Type") != "application/octet-stream" || r.Header.Get("Urgency") != "high" {
		t.Errorf("%s headers %v", r.Method, r.Header)
	}
	f.mu.Lock()
	f.bodies = append(f.bodies, body)
	f.hdrs = append(f.hdrs, r.Header.Clone())
	f.mu.Unlock()
	switch r.URL.Path {
	case "/gone":
		w.WriteHeader(http.StatusGone)
	case "/notfound":
		w.WriteHeader(http.StatusNotFound)
	case "/busy":
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	case "/5xx":
		w.WriteHeader(http.StatusBadGateway)
	case "/big":
		w.WriteHeader(http.StatusRequestEntityTooLarge)
	case "/redirect":
		http.Redirect(w, r, "http://169.254.169.254/", http.StatusFound)
	default:
		w.Header().Set("Location", f.srv.URL+"/msg/1")
		w.WriteHeader(http.StatusCreated)
	}
}

func newVAPIDFile(t *testing.T) (string, string) {
	k, err := ecdh.P256().GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "vapid.key")
	if err := os.WriteFile(file, []byte(base64.RawURLEncoding.EncodeToString(k.Bytes())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes())
}

func TestWebPushSendsAnEncryptedVAPIDMessage(t *testing.T) {
	f := newFakePushService(t, false)
	file, pub := newVAPIDFile(t)
	w, err := NewWebPush(WebPushConfig{VAPIDPrivateKeyFile: file, Subject: "mailto:ops@example.org", AllowPrivateEndpoints: true})
	if err != nil {
		t.Fatal(err)
	}
	if w.PublicKey() != pub {
		t.Fatal("VAPID public key not derived from the private key")
	}
	keys, _ := webpush.NewKeys(nil)
	target := Target{Provider: ProviderWebPush, Endpoint: f.srv.URL + "/sub/abc", P256dh: keys.P256dh(), Auth: keys.Auth()}
	m := Message{TransactionID: "tx-1", ProfileID: "prof-1", Server: "https://auth.example", Expires: time.Now().Add(90 * time.Second)}
	if r := w.Send(context.Background(), target, m); r.Status != Delivered {
		t.Fatalf("send %+v", r)
	}
	f.mu.Lock()
	body, hdr := f.bodies[0], f.hdrs[0]
	f.mu.Unlock()
	if ttl := hdr.Get("TTL"); ttl != "90" && ttl != "89" {
		t.Errorf("TTL %q, want the request's 90 s", ttl)
	}
	if !strings.HasSuffix(hdr.Get("Authorization"), ", k="+pub) {
		t.Errorf("k= is not the VAPID public key")
	}
	plain, err := keys.Decrypt(body)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(plain, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"og_transaction_id": "tx-1", "og_profile_id": "prof-1", "og_server": "https://auth.example"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plaintext %v", got)
	}
}

func TestWebPushProviderErrors(t *testing.T) {
	f := newFakePushService(t, false)
	file, _ := newVAPIDFile(t)
	w, _ := NewWebPush(WebPushConfig{VAPIDPrivateKeyFile: file, Subject: "mailto:ops@example.org", AllowPrivateEndpoints: true})
	keys, _ := webpush.NewKeys(nil)
	m := Message{TransactionID: "tx", ProfileID: "p", Expires: time.Now().Add(time.Minute)}
	for _, c := range []struct {
		path   string
		status Status
		after  time.Duration
		reason string
	}{
		{"/gone", TokenInvalid, 0, "webpush_http_410"},
		{"/notfound", TokenInvalid, 0, "webpush_http_404"},
		{"/busy", Retry, 30 * time.Second, "webpush_http_429"},
		{"/5xx", Retry, 0, "webpush_http_502"},
		{"/big", Failed, 0, "webpush_http_413"},
		{"/redirect", Failed, 0, "webpush_http_302"}, // redirects are not followed
	} {
		r := w.Send(context.Background(), Target{Endpoint: f.srv.URL + c.path, P256dh: keys.P256dh(), Auth: keys.Auth()}, m)
		if r.Status != c.status || r.RetryAfter != c.after || r.Reason != c.reason {
			t.Errorf("%s: %+v", c.path, r)
		}
	}
	for _, bad := range []Target{
		{Endpoint: f.srv.URL, P256dh: keys.P256dh()},
		{Endpoint: f.srv.URL, P256dh: "AAAA", Auth: keys.Auth()},
		{Endpoint: "ftp://x/y", P256dh: keys.P256dh(), Auth: keys.Auth()},
		{Endpoint: "/relative", P256dh: keys.P256dh(), Auth: keys.Auth()},
	} {
		if r := w.Send(context.Background(), bad, m); r.Status != TokenInvalid {
			t.Errorf("%+v: %+v", bad, r)
		}
	}
}

// TestWebPushRefusesPrivateEndpoints: without AllowPrivateEndpoints a
// device-given endpoint cannot make the server post into its own network.
func TestWebPushRefusesPrivateEndpoints(t *testing.T) {
	f := newFakePushService(t, true)
	file, _ := newVAPIDFile(t)
	var refused []string
	w, _ := NewWebPush(WebPushConfig{VAPIDPrivateKeyFile: file, Subject: "mailto:ops@example.org",
		OnEgressRefused: func(p string, e *egress.RefusedError) { refused = append(refused, p+"/"+e.Reason) }})
	keys, _ := webpush.NewKeys(nil)
	m := Message{TransactionID: "tx", ProfileID: "p"}
	r := w.Send(context.Background(), Target{Endpoint: f.srv.URL + "/sub", P256dh: keys.P256dh(), Auth: keys.Auth()}, m)
	if r.Status != TokenInvalid || r.Reason != "webpush_private_address" {
		t.Fatalf("https loopback endpoint: %+v", r)
	}
	r = w.Send(context.Background(), Target{Endpoint: "http://push.example/sub", P256dh: keys.P256dh(), Auth: keys.Auth()}, m)
	if r.Status != TokenInvalid {
		t.Fatalf("http endpoint: %+v", r)
	}
	if len(f.bodies) != 0 {
		t.Fatal("the loopback service was reached")
	}
	for _, e := range []string{"https://127.0.0.1/sub", "https://169.254.169.254/latest", "https://[::ffff:10.0.0.1]/sub", "https://[fd00::1]/sub", "https://100.64.0.1/sub", "https://localhost/sub", "https://2130706433/sub"} {
		if CheckEndpoint(e, false) == nil {
			t.Errorf("literal internal endpoint %s accepted", e)
		}
		if e != "https://2130706433/sub" && CheckEndpoint(e, true) != nil {
			t.Errorf("%s refused with private endpoints allowed", e)
		}
	}
	if CheckEndpoint("https://fcm.googleapis.com/fcm/send/abc", false) != nil {
		t.Error("a public endpoint refused")
	}
	if len(refused) != 1 || refused[0] != "webpush/loopback" {
		t.Fatalf("egress refusals told: %v", refused) // each range: server/egress tests
	}
}

func TestWebPushConfigErrors(t *testing.T) {
	file, _ := newVAPIDFile(t)
	for _, c := range []WebPushConfig{
		{Subject: "mailto:a@b"},
		{VAPIDPrivateKey: "!!!", Subject: "mailto:a@b"},
		{VAPIDPrivateKey: base64.RawURLEncoding.EncodeToString(make([]byte, 32)), Subject: "mailto:a@b"},
		{VAPIDPrivateKeyFile: file, Subject: "ops@example.org"},
		{VAPIDPrivateKeyFile: "/nonexistent", Subject: "mailto:a@b"},
	} {
		if _, err := NewWebPush(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
