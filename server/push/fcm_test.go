package push

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeGoogle is a loopback OAuth 2.0 token endpoint (JWT-bearer grant,
// RFC 7523) and FCM HTTP v1 endpoint that check requests as Google
// documents them.
type fakeGoogle struct {
	t       *testing.T
	pub     *rsa.PublicKey
	email   string
	keyID   string
	project string
	srv     *httptest.Server

	mu        sync.Mutex
	issued    map[string]bool
	exchanges atomic.Int32
	refuse    bool // token endpoint answers 400 invalid_grant
	got       []map[string]any
}

func newFakeGoogle(t *testing.T) (*fakeGoogle, []byte) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	g := &fakeGoogle{t: t, pub: &key.PublicKey, email: "push@test-project.iam.gserviceaccount.com", keyID: "kid-1234", project: "test-project", issued: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/token", g.token)
	mux.HandleFunc("/v1/projects/", g.send)
	g.srv = httptest.NewServer(mux)
	t.Cleanup(g.srv.Close)
	sa, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": g.project, "private_key_id": g.keyID,
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": g.email, "token_uri": "https://oauth2.invalid/token",
	})
	return g, sa
}

func (g *fakeGoogle) token(w http.ResponseWriter, r *http.Request) {
	t := g.t
	g.exchanges.Add(1)
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("token request %s %q", r.Method, r.Header.Get("Content-Type"))
	}
	if err := r.ParseForm(); err != nil {
		t.Error(err)
	}
	if gt := r.PostForm.Get("grant_type"); gt != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		t.Errorf("grant_type %q", gt)
	}
	h, c, input, sig := jwtParts(t, r.PostForm.Get("assertion"))
	if h["alg"] != "RS256" || h["typ"] != "JWT" || h["kid"] != g.keyID {
		t.Errorf("assertion header %v", h)
	}
	if !verifyRS256(g.pub, input, sig) {
		// As Google does: refuse; a test expecting a delivery then fails.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`)
		return
	}
	now := float64(time.Now().Unix())
	iat, _ := c["iat"].(float64)
	exp, _ := c["exp"].(float64)
	if c["iss"] != g.email || c["scope"] != FCMScope || c["aud"] != g.srv.URL+"/token" ||
		iat > now+5 || iat < now-60 || exp <= now || exp > iat+3600 {
		t.Errorf("assertion claims %v", c)
	}
	if g.refuse {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`)
		return
	}
	tok := "ya29.test-" + strings.Repeat("x", 8) + time.Now().Format("150405.000000000")
	g.mu.Lock()
	g.issued[tok] = true
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3599})
}

func (g *fakeGoogle) send(w http.ResponseWriter, r *http.Request) {
	t := g.t
	if r.Method != http.MethodPost || r.URL.Path != "/v1/projects/"+g.project+"/messages:send" {
		t.Errorf("send %s %s", r.Method, r.URL.Path)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("content type %q", r.Header.Get("Content-Type"))
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	g.mu.Lock()
	known := ok && g.issued[bearer]
	g.mu.Unlock()
	if !known {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"code":401,"status":"UNAUTHENTICATED"}}`)
		return
	}
	var body map[string]any
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil {
		t.Errorf("body: %v", err)
	}
	g.mu.Lock()
	g.got = append(g.got, body)
	g.mu.Unlock()
	msg, _ := body["message"].(map[string]any)
	tok, _ := msg["token"].(string)
	fcmErr := func(status int, s, code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": status, "message": "x", "status": s,
			"details": []any{map[string]any{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}}}})
	}
	switch tok {
	case "tok-gone":
		fcmErr(404, "NOT_FOUND", "UNREGISTERED")
	case "tok-quota":
		w.Header().Set("Retry-After", "17")
		fcmErr(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")
	case "tok-5xx":
		fcmErr(503, "UNAVAILABLE", "UNAVAILABLE")
	case "tok-500-plain":
		w.WriteHeader(500)
	case "tok-bad":
		fcmErr(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")
	case "tok-other-sender":
		fcmErr(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH")
	default:
		io.WriteString(w, `{"name":"projects/test-project/messages/0:1700000000000000%abc"}`)
	}
}

func newTestFCM(t *testing.T, g *fakeGoogle, sa []byte) *FCM {
	dir := t.TempDir()
	file := filepath.Join(dir, "sa.json")
	if err := os.WriteFile(file, sa, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := NewFCM(FCMConfig{CredentialsFile: file, Endpoint: g.srv.URL, TokenURL: g.srv.URL + "/token"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFCMSendsTheDocumentedRequest(t *testing.T) {
	g, sa := newFakeGoogle(t)
	f := newTestFCM(t, g, sa)
	exp := time.Now().Add(300 * time.Second)
	m := Message{TransactionID: "tx-1", ProfileID: "prof-1", Server: "https://auth.example", Expires: exp}
	res := f.Send(context.Background(), Target{Provider: ProviderFCM, Token: "tok-ok"}, m)
	if res.Status != Delivered {
		t.Fatalf("send: %+v", res)
	}
	// Exactly the documented message: token, data with the three ids, and
	// the Android delivery options. No notification block, no message text.
	g.mu.Lock()
	got := g.got[0]
	g.mu.Unlock()
	ttl := got["message"].(map[string]any)["android"].(map[string]any)["ttl"]
	if ttl != "300s" && ttl != "299s" {
		t.Fatalf("ttl %v", ttl)
	}
	want := map[string]any{"message": map[string]any{
		"token":   "tok-ok",
		"data":    map[string]any{"og_transaction_id": "tx-1", "og_profile_id": "prof-1", "og_server": "https://auth.example"},
		"android": map[string]any{"priority": "HIGH", "ttl": ttl},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body\n got %v\nwant %v", got, want)
	}
	// The token is cached: a second send does not exchange again.
	if r := f.Send(context.Background(), Target{Token: "tok-ok"}, m); r.Status != Delivered {
		t.Fatalf("second send %+v", r)
	}
	if n := g.exchanges.Load(); n != 1 {
		t.Fatalf("%d token exchanges for two sends", n)
	}
}

func TestFCMProviderErrors(t *testing.T) {
	g, sa := newFakeGoogle(t)
	f := newTestFCM(t, g, sa)
	m := Message{TransactionID: "tx", ProfileID: "p", Server: "s", Expires: time.Now().Add(time.Minute)}
	for _, c := range []struct {
		token  string
		status Status
		after  time.Duration
		reason string
	}{
		{"tok-gone", TokenInvalid, 0, "fcm_UNREGISTERED"},
		{"tok-other-sender", TokenInvalid, 0, "fcm_SENDER_ID_MISMATCH"},
		{"tok-quota", Retry, 17 * time.Second, "fcm_QUOTA_EXCEEDED"},
		{"tok-5xx", Retry, 0, "fcm_UNAVAILABLE"},
		{"tok-500-plain", Retry, 0, "fcm_http_500"},
		{"tok-bad", Failed, 0, "fcm_INVALID_ARGUMENT"},
		{"", TokenInvalid, 0, "fcm_no_token"},
	} {
		r := f.Send(context.Background(), Target{Provider: ProviderFCM, Token: c.token}, m)
		if r.Status != c.status || r.RetryAfter != c.after || r.Reason != c.reason {
			t.Errorf("%s: %+v, want %v %v %s", c.token, r, c.status, c.after, c.reason)
		}
	}
}

func TestFCMTokenExchangeFailures(t *testing.T) {
	g, sa := newFakeGoogle(t)
	g.refuse = true
	f := newTestFCM(t, g, sa)
	m := Message{TransactionID: "tx", ProfileID: "p"}
	if r := f.Send(context.Background(), Target{Token: "tok-ok"}, m); r.Status != Failed || r.Reason != "fcm_token_refused" {
		t.Fatalf("refused assertion: %+v", r)
	}
	// A key the token endpoint does not know: the signature check fails there.
	_, sa2 := newFakeGoogle(t)
	f2, err := NewFCM(FCMConfig{CredentialsJSON: sa2, Endpoint: g.srv.URL, TokenURL: g.srv.URL + "/token"})
	if err != nil {
		t.Fatal(err)
	}
	g.refuse = false
	if r := f2.Send(context.Background(), Target{Token: "tok-ok"}, m); r.Status != Failed || r.Reason != "fcm_token_refused" {
		t.Fatalf("assertion signed by another key: %+v", r)
	}
	if r := f.Send(context.Background(), Target{Token: "tok-ok"}, m); r.Status != Delivered {
		t.Fatalf("the right key once the endpoint accepts again: %+v", r)
	}
	// The token endpoint is down: retry.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	f3, _ := NewFCM(FCMConfig{CredentialsJSON: sa, Endpoint: url, TokenURL: url + "/token"})
	if r := f3.Send(context.Background(), Target{Token: "tok-ok"}, m); r.Status != Retry || r.Reason != "fcm_token_exchange" {
		t.Fatalf("token endpoint down: %+v", r)
	}
}

func TestFCMConfigErrors(t *testing.T) {
	for _, c := range []FCMConfig{
		{},
		{CredentialsJSON: []byte(`{"client_email":"a@b"}`)},
		{CredentialsJSON: []byte(`not json`)},
		{CredentialsJSON: []byte(`{"client_email":"a@b","private_key":"k"}`)}, // no project
		{CredentialsFile: "/nonexistent/sa.json"},
	} {
		if _, err := NewFCM(c); err == nil {
			t.Errorf("%+v accepted", c)
		} else if strings.Contains(err.Error(), `"k"`) {
			t.Errorf("error shows key material: %v", err)
		}
	}
}
