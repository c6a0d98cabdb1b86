package mobileauth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/user"
)

// BenchmarkEnrollmentDeviceCPU is the device's CPU for an enrollment: a new
// P-256 key in the (software) key store, the PKCS#10 CSR signed by it, and
// the DPoP proof of the enroll request. Compare with BenchmarkRSA2048KeyGen.
func BenchmarkEnrollmentDeviceCPU(b *testing.B) {
	ks := device.NewSoftKeyStore(nil)
	client, err := keys.Generate(ks, keys.AliasClient)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := keys.Generate(ks, keys.MobileAuthAlias("p1"))
		if err != nil {
			b.Fatal(err)
		}
		csr, err := BuildCSR(s, "p1")
		if err != nil {
			b.Fatal(err)
		}
		body, _ := json.Marshal(protocol.EnrollRequest{CSR: protocol.B64.EncodeToString(csr)})
		_ = body
		if _, err := protocol.MakeProof(client.SignDigest, "client-1", nil, protocol.ProofClaims{
			JTI: protocol.NewJTI(), HTM: "POST", HTU: "https://auth.example.org" + protocol.PathEnroll,
			IAT: time.Now().Unix(), ATH: protocol.AccessTokenHash("access-token"),
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSA2048KeyGen is the cost the Onegini documentation warns about:
// an RSA-2048 key generation on the device.
func BenchmarkRSA2048KeyGen(b *testing.B) {
	for b.Loop() {
		if _, err := rsa.GenerateKey(rand.Reader, 2048); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOTPFlowDeviceCPU is the device's CPU for one OTP flow without the
// network: OTP normalisation, the claim request JSON and its DPoP proof,
// decoding the claim answer, signing the answer, the answer JSON and its DPoP
// proof, and decoding the answer response.
func BenchmarkOTPFlowDeviceCPU(b *testing.B) {
	ks := device.NewSoftKeyStore(nil)
	client, err := keys.Generate(ks, keys.AliasClient)
	if err != nil {
		b.Fatal(err)
	}
	enr, err := keys.Generate(ks, keys.MobileAuthAlias("p1"))
	if err != nil {
		b.Fatal(err)
	}
	otp := protocol.NewOTP()
	claimAnswer, _ := json.Marshal(protocol.ClaimResponse{
		TransactionID: protocol.RandomToken(16), Message: "Log in to Example Bank from Chrome on Linux, Amsterdam",
		Type: "demo", Nonce: protocol.RandomToken(16), ExpiresAt: time.Now().Unix() + 300, ProfileID: "p1", UserID: "u1",
	})
	answerAnswer := []byte(`{"transaction_id":"tx","status":"accepted"}`)
	base := "https://auth.example.org"
	proof := func(path string) {
		if _, err := protocol.MakeProof(client.SignDigest, "client-1", nil, protocol.ProofClaims{
			JTI: protocol.NewJTI(), HTM: "POST", HTU: base + path, IAT: time.Now().Unix(),
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n, ok := protocol.NormalizeOTP(otp)
		if !ok {
			b.Fatal("otp")
		}
		if _, err := json.Marshal(protocol.ClaimRequest{OTP: n, ProfileID: "p1"}); err != nil {
			b.Fatal(err)
		}
		proof(protocol.PathClaim)
		var tx protocol.ClaimResponse
		if err := json.Unmarshal(claimAnswer, &tx); err != nil {
			b.Fatal(err)
		}
		a, err := buildAnswer(enr, "p1", &tx, answer{decision: protocol.DecisionAccept}, user.Verification{}, time.Now().Unix())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(a); err != nil {
			b.Fatal(err)
		}
		proof(protocol.PathAnswer)
		var ar protocol.AnswerResponse
		if err := json.Unmarshal(answerAnswer, &ar); err != nil {
			b.Fatal(err)
		}
	}
}
