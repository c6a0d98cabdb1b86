package push

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPNs is a loopback HTTP/2 TLS server checking requests as Apple's
// "Sending notification requests to APNs" documents them.
type fakeAPNs struct {
	t    *testing.T
	pub  *ecdsa.PublicKey
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []apnsSeen
}

type apnsSeen struct {
	header  http.Header
	payload map[string]any
}

const (
	apnsKeyID  = "ABC123DEFG"
	apnsTeamID = "DEF123GHIJ"
	apnsTopic  = "org.example.bank"
)

func newFakeAPNs(t *testing.T) (*fakeAPNs, string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	file := filepath.Join(t.TempDir(), "AuthKey_"+apnsKeyID+".p8")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &fakeAPNs{t: t, pub: &key.PublicKey}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.srv.EnableHTTP2 = true
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f, file
}

func (f *fakeAPNs) serve(w http.ResponseWriter, r *http.Request) {
	t := f.t
	if r.ProtoMajor != 2 {
		t.Errorf("APNs request over %s, want HTTP/2", r.Proto)
	}
	tok, ok := strings.CutPrefix(r.URL.Path, "/3/device/")
	if r.Method != http.MethodPost || !ok {
		t.Errorf("%s %s", r.Method, r.URL.Path)
	}
	// Provider token: ES256 JWT with kid and iss, fresh iat.
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "bearer ")
	if !ok {
		t.Errorf("authorization %q", r.Header.Get("Authorization"))
	}
	h, c, input, sig := jwtParts(t, bearer)
	if !verifyES256(f.pub, input, sig) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"reason":"InvalidProviderToken"}`)
		return
	}
	iat, _ := c["iat"].(float64)
	if h["alg"] != "ES256" || h["kid"] != apnsKeyID || c["iss"] != apnsTeamID || len(c) != 2 ||
		time.Since(time.Unix(int64(iat), 0)) > time.Minute {
		t.Errorf("provider token header %v claims %v", h, c)
	}
	body, _ := io.ReadAll(r.Body)
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Errorf("payload: %v", err)
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, apnsSeen{r.Header.Clone(), p})
	f.mu.Unlock()
	fail := func(code int, reason string) {
		w.Header().Set("apns-id", "EC1BF194-B3B2-424A-89A9-5A918A6E6B5E")
		w.WriteHeader(code)
		io.WriteString(w, `{"reason":"`+reason+`"`)
		if code == http.StatusGone {
			io.WriteString(w, `,"timestamp":1700000000000`)
		}
		io.WriteString(w, "}")
	}
	switch tok[:2] {
	case "bb":
		fail(410, "Unregistered")
	case "cc":
		fail(400, "BadDeviceToken")
	case "dd":
		fail(429, "TooManyRequests")
	case "ee":
		fail(503, "ServiceUnavailable")
	case "ff":
		fail(413, "PayloadTooLarge")
	case "00":
		fail(403, "ExpiredProviderToken")
	case "11":
		fail(400, "DeviceTokenNotForTopic")
	case "22":
		fail(500, "InternalServerError")
	default:
		w.Header().Set("apns-id", "EC1BF194-B3B2-424A-89A9-5A918A6E6B5E")
	}
}

func newTestAPNs(t *testing.T, f *fakeAPNs, keyFile, pushType string) *APNs {
	roots := x509.NewCertPool()
	roots.AddCert(f.srv.Certificate())
	a, err := NewAPNs(APNsConfig{KeyFile: keyFile, KeyID: apnsKeyID, TeamID: apnsTeamID, Topic: apnsTopic,
		Host: f.srv.URL, PushType: pushType, RootCAs: roots})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAPNsSendsTheDocumentedRequest(t *testing.T) {
	f, keyFile := newFakeAPNs(t)
	devToken := strings.Repeat("a1", 32)
	m := Message{TransactionID: "tx-1", ProfileID: "prof-1", Server: "https://auth.example", Expires: time.Now().Add(120 * time.Second)}
	for _, c := range []struct {
		pushType, priority string
		aps                map[string]any
	}{
		{"alert", "10", map[string]any{"alert": map[string]any{"loc-key": DefaultAPNsAlertKey}, "mutable-content": float64(1)}},
		{"background", "5", map[string]any{"content-available": float64(1)}},
	} {
		a := newTestAPNs(t, f, keyFile, c.pushType)
		before := time.Now()
		if r := a.Send(context.Background(), Target{Provider: ProviderAPNs, Token: devToken}, m); r.Status != Delivered {
			t.Fatalf("%s: %+v", c.pushType, r)
		}
		f.mu.Lock()
		seen := f.reqs[len(f.reqs)-1]
		f.mu.Unlock()
		h := seen.header
		exp, _ := strconv.ParseInt(h.Get("apns-expiration"), 10, 64)
		if h.Get("apns-topic") != apnsTopic || h.Get("apns-push-type") != c.pushType || h.Get("apns-priority") != c.priority ||
			h.Get("apns-collapse-id") != "tx-1" || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s headers %v", c.pushType, h)
		}
		if d := time.Unix(exp, 0).Sub(before); d < 118*time.Second || d > 121*time.Second {
			t.Errorf("%s: apns-expiration %d is %v from now, want the request's 120 s", c.pushType, exp, d)
		}
		want := map[string]any{"aps": c.aps, "og_transaction_id": "tx-1", "og_profile_id": "prof-1", "og_server": "https://auth.example"}
		if !reflect.DeepEqual(seen.payload, want) {
			t.Errorf("%s payload\n got %v\nwant %v", c.pushType, seen.payload, want)
		}
	}
}

func TestAPNsProviderErrors(t *testing.T) {
	f, keyFile := newFakeAPNs(t)
	a := newTestAPNs(t, f, keyFile, "")
	m := Message{TransactionID: "tx", ProfileID: "p", Server: "s", Expires: time.Now().Add(time.Minute)}
	for _, c := range []struct {
		prefix string
		status Status
		reason string
	}{
		{"bb", TokenInvalid, "apns_Unregistered"},
		{"cc", TokenInvalid, "apns_BadDeviceToken"},
		{"11", TokenInvalid, "apns_DeviceTokenNotForTopic"},
		{"dd", Retry, "apns_TooManyRequests"},
		{"ee", Retry, "apns_ServiceUnavailable"},
		{"22", Retry, "apns_InternalServerError"},
		{"00", Retry, "apns_ExpiredProviderToken"},
		{"ff", Failed, "apns_PayloadTooLarge"},
	} {
		r := a.Send(context.Background(), Target{Token: c.prefix + strings.Repeat("0", 62)}, m)
		if r.Status != c.status || r.Reason != c.reason {
			t.Errorf("%s: %+v, want %v %s", c.prefix, r, c.status, c.reason)
		}
	}
	for _, bad := range []string{"", "zz" + strings.Repeat("0", 62), "../../x", strings.Repeat("a", 15)} {
		if r := a.Send(context.Background(), Target{Token: bad}, m); r.Status != TokenInvalid {
			t.Errorf("token %q: %+v", bad, r)
		}
	}
}

func TestAPNsWrongKeyAndTransport(t *testing.T) {
	f, _ := newFakeAPNs(t)
	_, otherKey := newFakeAPNs(t) // a .p8 that the server does not know
	a := newTestAPNs(t, f, otherKey, "")
	m := Message{TransactionID: "tx", ProfileID: "p"}
	if r := a.Send(context.Background(), Target{Token: strings.Repeat("a", 64)}, m); r.Status != Failed || r.Reason != "apns_InvalidProviderToken" {
		t.Fatalf("unknown signing key: %+v", r)
	}
	// Untrusted certificate (no RootCAs): a transport failure, retried.
	b, err := NewAPNs(APNsConfig{Key: mustRead(t, otherKey), KeyID: apnsKeyID, TeamID: apnsTeamID, Topic: apnsTopic, Host: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if r := b.Send(context.Background(), Target{Token: strings.Repeat("a", 64)}, m); r.Status != Retry || r.Reason != "apns_transport" {
		t.Fatalf("untrusted server: %+v", r)
	}
}

func TestAPNsConfigErrors(t *testing.T) {
	_, keyFile := newFakeAPNs(t)
	key := mustRead(t, keyFile)
	for _, c := range []APNsConfig{
		{},
		{Key: []byte("not pem"), KeyID: "k", TeamID: "t", Topic: "x"},
		{Key: key, TeamID: "t", Topic: "x"},
		{Key: key, KeyID: "k", TeamID: "t", Topic: "x", PushType: "voip"},
		{KeyFile: "/nonexistent.p8", KeyID: "k", TeamID: "t", Topic: "x"},
	} {
		if _, err := NewAPNs(c); err == nil {
			t.Errorf("%+v accepted", c.PushType)
		} else if strings.Contains(err.Error(), "PRIVATE KEY") {
			t.Errorf("error shows the key: %v", err)
		}
	}
}

func mustRead(t *testing.T, file string) []byte {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
