package servertest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/idp"
)

// LetterBackend is an operator's custom-registration backend on loopback
// ("register with the code from our letter"): it checks each webhook
// request's signature itself (HMAC-SHA256 over timestamp "." request id "."
// body, computed here independently of package idp), its timestamp window
// and that its request id is new, and signs its answers bound to the
// request id. Codes maps a letter code to the user id it registers.
type LetterBackend struct {
	URL string
	Key string // set by CreateCustomIdP
	// Answer modes for the security tests.
	Mode string // "" signed; "unsigned"; "forged" (wrong key); "stale" (old timestamp); "replay" (the previous answer again)

	mu       sync.Mutex
	Codes    map[string]string
	seen     map[string]bool
	Requests []idp.Request // verified requests, in order
	Rejected int           // requests refused for their signature, time or id
	last     struct {
		hdr  http.Header
		body []byte
	}
}

// StartLetterBackend starts a backend on loopback (closed with t).
func StartLetterBackend(t testing.TB, codes map[string]string) *LetterBackend {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("letter backend: %v", err)
	}
	b := &LetterBackend{URL: "http://" + ln.Addr().String() + "/webhook", Codes: codes, seen: map[string]bool{}}
	hs := &http.Server{Handler: http.HandlerFunc(b.serve), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	return b
}

func hmacHex(key string, parts ...string) string {
	m := hmac.New(sha256.New, []byte(key))
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte("."))
		}
		m.Write([]byte(p))
	}
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

func (b *LetterBackend) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	b.mu.Lock()
	defer b.mu.Unlock()
	ts, id := r.Header.Get("X-OMA-Timestamp"), r.Header.Get("X-OMA-Request-Id")
	sec, err := strconv.ParseInt(ts, 10, 64)
	want := hmacHex(b.Key, ts, id, string(body))
	if err != nil || id == "" || b.seen[id] || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute ||
		!hmac.Equal([]byte(want), []byte(r.Header.Get("X-OMA-Signature"))) {
		b.Rejected++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	b.seen[id] = true
	var req idp.Request
	if json.Unmarshal(body, &req) != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	b.Requests = append(b.Requests, req)
	ans := idp.Answer{Result: "ok", Status: 2000, Data: "Enter the code from our letter"}
	if req.Step == idp.StepComplete {
		user, ok := "", false
		if req.Data != nil {
			user, ok = b.Codes[*req.Data]
		}
		if ok {
			ans = idp.Answer{Result: "ok", UserID: user, Status: 2000, Data: "Welcome"}
		} else {
			ans = idp.Answer{Result: "refused", Status: 4000, Data: "This code is not valid"}
		}
	}
	out, _ := json.Marshal(ans)
	now := time.Now()
	key := b.Key
	switch b.Mode {
	case "forged":
		key = "not-the-key"
	case "stale":
		now = now.Add(-10 * time.Minute)
	case "replay":
		if b.last.hdr != nil {
			for k, v := range b.last.hdr {
				w.Header()[k] = v
			}
			_, _ = w.Write(b.last.body)
			return
		}
	}
	rts := strconv.FormatInt(now.Unix(), 10)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-OMA-Timestamp", rts)
	if b.Mode != "unsigned" {
		w.Header().Set("X-OMA-Signature", hmacHex(key, "response", rts, id, string(out)))
	}
	b.last.hdr, b.last.body = w.Header().Clone(), out
	_, _ = w.Write(out)
}

// SetMode changes how the backend answers.
func (b *LetterBackend) SetMode(m string) { b.mu.Lock(); b.Mode = m; b.mu.Unlock() }

// CreateCustomIdP configures b as custom identity provider id of
// application appID and gives b its webhook key.
func (ts *TestServer) CreateCustomIdP(appID, id, name string, b *LetterBackend) {
	key, err := ts.Server.Admin().CreateIdentityProvider(context.Background(), server.IdentityProviderSpec{AppID: appID, ID: id, Name: name, Kind: "custom", URL: b.URL})
	if err != nil {
		ts.t.Fatalf("servertest: CreateIdentityProvider: %v", err)
	}
	b.mu.Lock()
	b.Key = key
	b.mu.Unlock()
}

// CustomRegister runs a custom registration with identity provider idpID:
// init (with initData), complete with code, then the code exchange with pin.
func (d *Device) CustomRegister(idpID string, initData *string, code, pin string) error {
	verifier, challenge := protocol.NewPKCE()
	var ir protocol.CustomRegistrationInitResponse
	if err := d.Call(http.MethodPost, protocol.PathCustomRegistrationInit, false, protocol.CustomRegistrationInitRequest{
		IdentityProviderID: idpID, Scope: "openid", CodeChallenge: challenge, Data: initData}, &ir); err != nil {
		return err
	}
	var cr protocol.CustomRegistrationCompleteResponse
	if err := d.Call(http.MethodPost, protocol.PathCustomRegistrationComplete, false, protocol.CustomRegistrationCompleteRequest{Session: ir.Session, Data: code}, &cr); err != nil {
		return err
	}
	return d.ExchangeCode(cr.Code, verifier, pin)
}
