package protocol

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
)

func TestAnswerDigestV2(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sign := func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }
	base := AnswerRequest{TransactionID: "tx", ProfileID: "p", Decision: DecisionAccept, MessageHash: MessageHash("m"), Nonce: "n", Time: 1700000000}

	// Without the new fields the digest is the original one: an answer
	// signed over AnswerDigest (an SDK of before DESIGN §13) verifies.
	old := base
	d := AnswerDigest(old.TransactionID, old.Decision, old.MessageHash, old.Nonce, old.Time)
	sig, _ := sign(d[:])
	old.Signature = B64.EncodeToString(sig)
	if err := VerifyAnswerSignature(&k.PublicKey, &old); err != nil {
		t.Fatalf("old digest: %v", err)
	}
	if AnswerDigestOf(&base) != d {
		t.Fatal("AnswerDigestOf changed the digest of a plain answer")
	}

	// Each new field is covered: signed with one value, sent with another.
	ext := base
	ext.DetailsHash = DetailsHash([]Detail{{Label: "Payee", Value: "Shop"}})
	ext.MatchPick = "42"
	ext.VerificationMethod = VerificationPIN
	if err := SignAnswer(sign, &ext); err != nil {
		t.Fatal(err)
	}
	if err := VerifyAnswerSignature(&k.PublicKey, &ext); err != nil {
		t.Fatalf("v2: %v", err)
	}
	for name, mut := range map[string]func(a *AnswerRequest){
		"pick":    func(a *AnswerRequest) { a.MatchPick = "17" },
		"details": func(a *AnswerRequest) { a.DetailsHash = DetailsHash([]Detail{{Label: "Payee", Value: "Mallory"}}) },
		"method":  func(a *AnswerRequest) { a.VerificationMethod = "" },
		"reason":  func(a *AnswerRequest) { a.Reason = ReasonNotMe },
		"dropped": func(a *AnswerRequest) { a.DetailsHash, a.MatchPick, a.VerificationMethod = "", "", "" },
	} {
		a := ext
		mut(&a)
		if VerifyAnswerSignature(&k.PublicKey, &a) == nil {
			t.Errorf("%s changed after signing still verifies", name)
		}
	}
	// The two digests never collide for the same base fields.
	if AnswerDigestOf(&ext) == d {
		t.Fatal("v2 digest equals v1")
	}
}

func TestDetailsHashAndCheck(t *testing.T) {
	if DetailsHash(nil) != "" {
		t.Fatal("no details must hash to empty")
	}
	a := DetailsHash([]Detail{{Label: "ab", Value: "c"}})
	b := DetailsHash([]Detail{{Label: "a", Value: "bc"}})
	if a == b {
		t.Fatal("length prefixes missing: two lists share a hash")
	}
	for _, ds := range [][]Detail{
		{{Label: "x", Value: "a\u202eb"}},
		{{Label: "x\n", Value: "b"}},
		{{Label: "", Value: "b"}},
		{{Label: strings.Repeat("l", MaxDetailLabel+1), Value: "b"}},
		make([]Detail, MaxDetails+1),
	} {
		if CheckDetails(ds) == nil {
			t.Errorf("%q accepted", ds)
		}
	}
	if err := CheckDetails([]Detail{{Label: "Bedrag", Value: "€ 25,00"}}); err != nil {
		t.Fatal(err)
	}
}

func TestNewMatchCode(t *testing.T) {
	pos := map[int]int{}
	for range 300 {
		code, cs := NewMatchCode()
		if len(code) != 2 || len(cs) != MatchCandidates {
			t.Fatalf("%q %v", code, cs)
		}
		seen := map[string]bool{}
		for i, c := range cs {
			if len(c) != 2 || c[0] < '1' || c[0] > '9' || c[1] < '0' || c[1] > '9' {
				t.Fatalf("candidate %q", c)
			}
			seen[c] = true
			if c == code {
				pos[i]++
			}
		}
		if len(seen) != MatchCandidates || !seen[code] {
			t.Fatalf("%q %v", code, cs)
		}
	}
	// The code's position is random: each position seen in 300 draws.
	if len(pos) != MatchCandidates {
		t.Fatalf("code positions %v", pos)
	}
}

func TestSignUV(t *testing.T) {
	bio, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	dev, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sign := func(k *ecdsa.PrivateKey) Signer {
		return func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }
	}
	a := &AnswerRequest{TransactionID: "tx", Decision: DecisionAccept, MessageHash: MessageHash("m"), Nonce: "n", Time: 1}
	if SignUV(sign(bio), a) == nil {
		t.Fatal("signed without verification_method biometric")
	}
	a.VerificationMethod = VerificationBiometric
	if err := SignUV(sign(bio), a); err != nil {
		t.Fatal(err)
	}
	if err := SignAnswer(sign(dev), a); err != nil {
		t.Fatal(err)
	}
	if VerifyUVSignature(&bio.PublicKey, a) != nil || VerifyAnswerSignature(&dev.PublicKey, a) != nil {
		t.Fatal("valid signatures refused")
	}
	if VerifyUVSignature(&dev.PublicKey, a) == nil {
		t.Fatal("the device key verified as the biometric key")
	}
	b := *a
	b.Decision = DecisionDeny
	if VerifyUVSignature(&bio.PublicKey, &b) == nil {
		t.Fatal("the biometric signature carried over to another decision")
	}
	b = *a
	b.VerificationMethod = VerificationPIN
	if VerifyUVSignature(&bio.PublicKey, &b) == nil {
		t.Fatal("verified under another method")
	}
}
