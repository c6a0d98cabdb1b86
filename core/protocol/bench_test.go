package protocol

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
	"time"
)

// benchProof is a proof as the SDK makes it for the claim endpoint.
func benchProof(b *testing.B) (*ecdsa.PrivateKey, string, time.Time) {
	b.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	sign := func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }
	s, err := MakeProof(sign, "Zm9vYmFyYmF6cXV4MTIzNA", nil, ProofClaims{JTI: NewJTI(), HTM: "POST",
		HTU: "http://127.0.0.1:8080/device/v1/mobile-auth/claim", IAT: now.Unix()})
	if err != nil {
		b.Fatal(err)
	}
	return k, s, now
}

func BenchmarkParseProof(b *testing.B) {
	_, s, _ := benchProof(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseProof(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProofVerify is ParseProof plus Verify: what the server does per
// device request (the ECDSA verification dominates).
func BenchmarkProofVerify(b *testing.B) {
	k, s, now := benchProof(b)
	b.ReportAllocs()
	for b.Loop() {
		p, err := ParseProof(s)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Verify(&k.PublicKey, "POST", "http://127.0.0.1:8080/device/v1/mobile-auth/claim", now, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyAnswerSignature(b *testing.B) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	a := &AnswerRequest{TransactionID: "dHJhbnNhY3Rpb24taWQtMTIzNDU2", ProfileID: "cHJvZmlsZS0x", Decision: DecisionAccept,
		MessageHash: MessageHash("Log in to Example Shop from Chrome on Linux, IP 192.0.2.1"), Nonce: RandomToken(16), Time: 1_800_000_000}
	if err := SignAnswer(func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }, a); err != nil {
		b.Fatal(err)
	}
	enc, err := EncodePublicKey(&k.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		pub, err := DecodePublicKey(enc)
		if err != nil {
			b.Fatal(err)
		}
		if err := VerifyAnswerSignature(pub, a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePublicKey(b *testing.B) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	enc, err := EncodePublicKey(&k.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodePublicKey(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnswerDigest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = AnswerDigest("dHJhbnNhY3Rpb24taWQtMTIzNDU2", DecisionAccept, "bWVzc2FnZS1oYXNoLWJhc2U2NHVybC0zMi1ieXRlcw", "bm9uY2UtMTIzNDU2Nzg5MA", 1_800_000_000)
	}
}
