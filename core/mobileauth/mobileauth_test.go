package mobileauth

import (
	"crypto/ecdsa"
	"crypto/x509"
	"testing"

	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/core/user"
)

func TestCSRIsSignedByTheKeyStoreKey(t *testing.T) {
	ks := device.NewSoftKeyStore(nil)
	s, err := keys.Generate(ks, keys.MobileAuthAlias("p1"))
	if err != nil {
		t.Fatal(err)
	}
	der, err := BuildCSR(s, "p1")
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := csr.CheckSignature(); err != nil {
		t.Fatalf("CSR proof of possession does not verify: %v", err)
	}
	raw, _ := ks.PublicKey(keys.MobileAuthAlias("p1"))
	want, _ := protocol.ParsePublicKey(raw)
	if !csr.PublicKey.(*ecdsa.PublicKey).Equal(want) || csr.Subject.CommonName != "p1" || csr.SignatureAlgorithm != x509.ECDSAWithSHA256 {
		t.Fatalf("CSR content: %v %v", csr.Subject, csr.SignatureAlgorithm)
	}
}

func TestAnswerIsSignedOverTheShownMessage(t *testing.T) {
	s, err := keys.Generate(device.NewSoftKeyStore(nil), "k")
	if err != nil {
		t.Fatal(err)
	}
	tx := &protocol.ClaimResponse{TransactionID: "tx1", Message: "Log in to Example Bank", Nonce: "n1"}
	a, err := buildAnswer(s, "p1", tx, answer{decision: protocol.DecisionAccept}, user.Verification{}, 1_800_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if err := protocol.VerifyAnswerSignature(s.ECDSAPublic(), a); err != nil {
		t.Fatal(err)
	}
	if a.MessageHash != protocol.MessageHash(tx.Message) || a.ProfileID != "p1" || a.Nonce != "n1" {
		t.Fatalf("answer fields %+v", a)
	}
	b := *a
	b.MessageHash = protocol.MessageHash("Pay 1000 EUR")
	if protocol.VerifyAnswerSignature(s.ECDSAPublic(), &b) == nil {
		t.Fatal("answer verifies over another message")
	}
}

func TestClaimingProfileChoice(t *testing.T) {
	st := device.NewMemStorage()
	c := client.New(store.New(st), device.NewSoftKeyStore(nil), nil)
	u := user.New(c, func(string, any) {})
	m := New(c, u, func(string, any) {})
	s := c.Store()
	if _, err := m.claimingProfile(); dispatch.CodeOf(err) != dispatch.CodeNotEnrolled {
		t.Fatalf("no profiles: %v", err)
	}
	enr := &store.Enrollment{ID: "e", KeyAlias: "k"}
	must(t, s.PutProfile(store.Profile{ID: "a"}))
	must(t, s.PutProfile(store.Profile{ID: "b", Enrollment: enr}))
	if p, err := m.claimingProfile(); err != nil || p.ID != "b" {
		t.Fatalf("single enrolled: %v %v", p, err)
	}
	must(t, s.SetSession(store.Session{ProfileID: "a"})) // authenticated but not enrolled
	if p, err := m.claimingProfile(); err != nil || p.ID != "b" {
		t.Fatalf("authenticated not enrolled: %v %v", p, err)
	}
	must(t, s.PutProfile(store.Profile{ID: "c", Enrollment: enr}))
	if _, err := m.claimingProfile(); dispatch.CodeOf(err) != dispatch.CodeNotEnrolled {
		t.Fatalf("two enrolled, none authenticated: %v", err)
	}
	must(t, s.SetSession(store.Session{ProfileID: "c"}))
	if p, err := m.claimingProfile(); err != nil || p.ID != "c" {
		t.Fatalf("authenticated enrolled: %v %v", p, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
