package protocol

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"
	"time"
)

func softSigner(t *testing.T) (*ecdsa.PrivateKey, Signer) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k, func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }
}

func TestProofRoundTripAndRejections(t *testing.T) {
	k, sign := softSigner(t)
	now := time.Unix(1_800_000_000, 0)
	url := "https://auth.example.org/device/v1/token"
	c := ProofClaims{JTI: NewJTI(), HTM: "POST", HTU: url, IAT: now.Unix(), ATH: AccessTokenHash("tok")}
	s, err := MakeProof(sign, "client-1", nil, c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProof(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kid != "client-1" || p.Claims != c {
		t.Fatalf("parsed %+v", p)
	}
	if err := p.Verify(&k.PublicKey, "POST", url+"?x=1", now.Add(59*time.Second), "tok"); err != nil {
		t.Fatalf("valid proof refused: %v", err)
	}
	other, _ := softSigner(t)
	_ = other
	k2, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cases := map[string]error{
		"other key": p.Verify(&k2.PublicKey, "POST", url, now, "tok"),
		"method":    p.Verify(&k.PublicKey, "GET", url, now, "tok"),
		"url":       p.Verify(&k.PublicKey, "POST", "https://auth.example.org/device/v1/claim", now, "tok"),
		"stale":     p.Verify(&k.PublicKey, "POST", url, now.Add(61*time.Second), "tok"),
		"future":    p.Verify(&k.PublicKey, "POST", url, now.Add(-61*time.Second), "tok"),
		"token":     p.Verify(&k.PublicKey, "POST", url, now, "other"),
		"no token":  p.Verify(&k.PublicKey, "POST", url, now, ""),
	}
	for name, err := range cases {
		if !errors.Is(err, ErrProof) {
			t.Errorf("%s: want ErrProof, got %v", name, err)
		}
	}
	// A tampered claims part fails the signature.
	tampered := s[:len(s)-3] + "AAA"
	if p2, err := ParseProof(tampered); err == nil {
		if p2.Verify(&k.PublicKey, "POST", url, now, "tok") == nil {
			t.Fatal("tampered proof verified")
		}
	}
}

func TestProofWithJWK(t *testing.T) {
	k, sign := softSigner(t)
	now := time.Now()
	c := ProofClaims{JTI: NewJTI(), HTM: "POST", HTU: "http://127.0.0.1:1/device/v1/clients", IAT: now.Unix()}
	s, err := MakeProof(sign, "", &k.PublicKey, c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProof(s)
	if err != nil {
		t.Fatal(err)
	}
	if p.JWK == nil || !p.JWK.Equal(&k.PublicKey) {
		t.Fatal("jwk not carried")
	}
	if err := p.Verify(p.JWK, "POST", c.HTU, now, ""); err != nil {
		t.Fatal(err)
	}
}

func TestParseProofRejectsGarbage(t *testing.T) {
	for _, s := range []string{"", "a.b", "a.b.c", "e30.e30.", "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30."} {
		if _, err := ParseProof(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestAnswerSignature(t *testing.T) {
	k, sign := softSigner(t)
	a := AnswerRequest{TransactionID: "tx1", Decision: DecisionAccept, MessageHash: MessageHash("Log in?"), Nonce: "n1", Time: 1}
	if err := SignAnswer(sign, &a); err != nil {
		t.Fatal(err)
	}
	if err := VerifyAnswerSignature(&k.PublicKey, &a); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*AnswerRequest){
		"decision": func(x *AnswerRequest) { x.Decision = DecisionDeny },
		"message":  func(x *AnswerRequest) { x.MessageHash = MessageHash("Pay 1000?") },
		"nonce":    func(x *AnswerRequest) { x.Nonce = "n2" },
		"time":     func(x *AnswerRequest) { x.Time = 2 },
		"tx":       func(x *AnswerRequest) { x.TransactionID = "tx2" },
	} {
		b := a
		mut(&b)
		if VerifyAnswerSignature(&k.PublicKey, &b) == nil {
			t.Errorf("changed %s still verifies", name)
		}
	}
}

func TestOTP(t *testing.T) {
	o := NewOTP()
	if n, ok := NormalizeOTP(" " + o + "\n"); !ok || n != o {
		t.Fatalf("fresh OTP %q not well-formed", o)
	}
	if NewOTP() == o {
		t.Fatal("two equal OTPs")
	}
	for _, bad := range []string{"", "abc", o[:31], o + "A", o[:31] + "1", o[:31] + "!"} {
		if _, ok := NormalizeOTP(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if HashOTP(o) == o || len(HashOTP(o)) != 64 {
		t.Fatal("hash")
	}
}

func TestPublicKeyEncodings(t *testing.T) {
	k, _ := softSigner(t)
	s, err := EncodePublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodePublicKey(s)
	if err != nil || !p.Equal(&k.PublicKey) {
		t.Fatal("PKIX round trip")
	}
	raw := append([]byte{4}, append(k.X.FillBytes(make([]byte, 32)), k.Y.FillBytes(make([]byte, 32))...)...)
	p2, err := ParsePublicKey(raw)
	if err != nil || !p2.Equal(&k.PublicKey) {
		t.Fatal("X9.63 round trip")
	}
	raw[10] ^= 1
	if _, err := ParsePublicKey(raw); err == nil {
		t.Fatal("off-curve point accepted")
	}
}

func TestErrorTable(t *testing.T) {
	for _, e := range ErrorStrings() {
		if HTTPStatus(e) < 400 {
			t.Errorf("%s: status %d", e, HTTPStatus(e))
		}
	}
	if HTTPStatus(ErrInvalidPin) != 400 || HTTPStatus(ErrAlreadyHandled) != 409 || HTTPStatus("nonsense") != 500 {
		t.Fatal("mapping")
	}
}

func TestPKCE(t *testing.T) {
	v, c := NewPKCE()
	if !PKCEMatches(v, c) || PKCEMatches(v+"x", c) {
		t.Fatal("pkce")
	}
}
