package loadgen

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
)

// fakeServer plays the token server's four transaction calls, checking what
// the fast client sends (proof structure and signature, answer signature,
// form fields), answering with chunked bodies, and misbehaving in one call
// as mode says.
type fakeServer struct {
	t      *testing.T
	mode   string
	dev    *Device
	mu     sync.Mutex
	jtis   map[string]bool
	nonces map[string]bool
	msg    string
	checks int
}

const fakeTx = "tx-1/é"

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	send := func(status int, v any) {
		b, _ := json.Marshal(v)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(b[:len(b)/2]) // two chunks
		w.(http.Flusher).Flush()
		_, _ = w.Write(b[len(b)/2:])
	}
	checkProof := func(path string) {
		p, err := protocol.ParseProof(r.Header.Get(protocol.HeaderDPoP))
		if err != nil || p.Kid != f.dev.ClientID || f.jtis[p.Claims.JTI] {
			f.t.Errorf("%s: bad, foreign or replayed proof: %v", path, err)
			return
		}
		f.jtis[p.Claims.JTI] = true
		if err := p.Verify(&f.dev.ClientKey.PublicKey, "POST", "http://"+r.Host+path, time.Now(), ""); err != nil {
			f.t.Errorf("%s: proof: %v", path, err)
		}
		f.checks++
	}
	switch {
	case r.URL.Path == pathStart:
		user, pw, _ := r.BasicAuth()
		form, err := url.ParseQuery(string(body))
		if err != nil || user != "rp" || pw != "s3cret:x" || form.Get("message") != f.msg || form.Get("user_id") != f.dev.UserID || form.Get("type") != "demo" ||
			len(form) != 3 || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			f.t.Errorf("start: auth %q/%q form %v %v", user, pw, form, err)
		}
		f.checks++
		if f.mode == "start-500" {
			send(500, map[string]string{"error": "server_error"})
			return
		}
		send(200, map[string]any{"transaction_id": fakeTx, "otp": "otp-1", "auth_method": "push", "time_to_live": 300000})
	case r.URL.Path == protocol.PathClaim:
		checkProof(protocol.PathClaim)
		var c protocol.ClaimRequest
		if json.Unmarshal(body, &c) != nil || c.OTP != "otp-1" || c.ProfileID != f.dev.ProfileID {
			f.t.Errorf("claim body %s", body)
		}
		nonce := protocol.RandomToken(16)
		f.nonces[nonce] = true
		id := fakeTx
		if f.mode == "claim-other-tx" {
			id = "tx-2"
		}
		if f.mode == "claim-close" {
			c, _, _ := w.(http.Hijacker).Hijack()
			_ = c.Close()
			return
		}
		send(200, protocol.ClaimResponse{TransactionID: id, Message: f.msg, Nonce: nonce, Type: "demo", ProfileID: f.dev.ProfileID})
	case r.URL.Path == protocol.PathAnswer:
		checkProof(protocol.PathAnswer)
		var a protocol.AnswerRequest
		if err := json.Unmarshal(body, &a); err != nil {
			f.t.Errorf("answer body %s: %v", body, err)
		}
		if a.TransactionID != fakeTx || !f.nonces[a.Nonce] || a.MessageHash != protocol.MessageHash(f.msg) || a.Decision != protocol.DecisionAccept ||
			a.ProfileID != f.dev.ProfileID || protocol.VerifyAnswerSignature(&f.dev.EnrollKey.PublicKey, &a) != nil {
			f.t.Errorf("answer not signed over the claim: %s", body)
		}
		f.checks++
		switch f.mode {
		case "answer-denied":
			send(200, protocol.AnswerResponse{TransactionID: fakeTx, Status: "denied"})
		case "answer-slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "answer-409":
			send(409, map[string]string{"error": "already_answered"})
		default:
			send(200, protocol.AnswerResponse{TransactionID: fakeTx, Status: "accepted"})
		}
	case strings.HasPrefix(r.URL.Path, pathFetch):
		if r.URL.Path != pathFetch+fakeTx {
			f.t.Errorf("fetch path %q", r.URL.Path)
		}
		f.checks++
		res := map[string]any{"transaction_id": fakeTx, "is_authenticated": true, "status": "accepted"}
		switch f.mode {
		case "fetch-not-authenticated":
			res["is_authenticated"] = false
		case "fetch-other-tx":
			res["transaction_id"] = "tx-2"
		case "fetch-bad-json":
			w.Header().Set("Content-Length", "5")
			_, _ = io.WriteString(w, `{"is_`)
			return
		}
		send(200, res)
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL)
	}
}

func fakeDevice(t *testing.T, base string) *Device {
	t.Helper()
	d, err := NewDevice(base, http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	if d.EnrollKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	d.ClientID, d.ProfileID, d.UserID, d.Enrollment = "client-1", "profile-\"1\"", "user 1&x=2", "enr-1"
	return d
}

// The fast transaction sends what the server expects (fresh proofs and an
// answer signed over the claimed nonce and message), succeeds on a correct
// exchange with chunked answers, and turns every wrong answer into an error.
func TestFastTransactionAgainstFake(t *testing.T) {
	for _, mode := range []string{"ok", "start-500", "claim-other-tx", "claim-close", "answer-denied", "answer-slow", "answer-409",
		"fetch-not-authenticated", "fetch-other-tx", "fetch-bad-json"} {
		t.Run(mode, func(t *testing.T) {
			f := &fakeServer{t: t, mode: mode, jtis: map[string]bool{}, nonces: map[string]bool{}, msg: "Log in to Ex&mple? \"yes\" — ok"}
			srv := httptest.NewServer(f)
			defer srv.Close()
			f.dev = fakeDevice(t, srv.URL)
			fc := fastFor(t, srv.URL, 500*time.Millisecond)
			rp := NewRP(srv.URL, http.DefaultClient, "rp", "s3cret:x")
			p := Plan{Fast: fc, Concurrency: 2, Count: 4, Type: "demo", Message: f.msg, Bound: true}
			rep, err := Run(context.Background(), rp, []*Device{f.dev}, p)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %v", mode, rep.ErrorKind)
			if mode == "ok" {
				if rep.OK != 4 || rep.Errors != 0 || f.checks != 4*5 || len(f.jtis) != 8 {
					t.Fatalf("ok: %s checks %d jtis %d", rep, f.checks, len(f.jtis))
				}
				return
			}
			if rep.OK != 0 || rep.Errors != 4 {
				t.Fatalf("%s: %s, want 4 errors", mode, rep)
			}
		})
	}
}

// Proof signatures convert from DER to r||s exactly (checked against
// crypto/ecdsa over many signatures, some with short r or s), malformed DER
// is refused, and the deterministic signer verifies like any signature.
func TestSignatures(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := 0; i < 300; i++ {
		d := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		der, err := signDeterministic(k, d[:])
		if err != nil || !ecdsa.VerifyASN1(&k.PublicKey, d[:], der) || seen[string(der)] {
			t.Fatalf("deterministic signature %d: %v (repeated %v)", i, err, seen[string(der)])
		}
		seen[string(der)] = true
		var raw [64]byte
		if !derToRaw(der, &raw) {
			t.Fatalf("derToRaw refused %x", der)
		}
		r, s := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])
		if !ecdsa.Verify(&k.PublicKey, d[:], r, s) {
			t.Fatalf("r||s of %x does not verify", der)
		}
	}
	for _, der := range [][]byte{nil, {0x30, 0}, {0x30, 3, 2, 1, 1}, {0x30, 6, 2, 1, 0x80, 2, 1, 1}, {0x30, 6, 2, 1, 1, 2, 1, 1, 0},
		append([]byte{0x30, 38, 2, 33, 1}, make([]byte, 35)...)} {
		var raw [64]byte
		if derToRaw(der, &raw) {
			t.Errorf("derToRaw accepted %x", der)
		}
	}
}
