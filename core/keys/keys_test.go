package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"testing"

	"github.com/openmobileauth/oma/core/device"
)

func TestSignerSignsCSRVerifiedByX509(t *testing.T) {
	ks := device.NewSoftKeyStore(nil)
	s, err := Generate(ks, MobileAuthAlias("p1"))
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: "p1"}, SignatureAlgorithm: x509.ECDSAWithSHA256,
	}, s)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := csr.CheckSignature(); err != nil {
		t.Fatalf("CSR signature: %v", err)
	}
	if !csr.PublicKey.(*ecdsa.PublicKey).Equal(s.Public()) {
		t.Fatal("CSR carries another key")
	}
}

func TestLoadAfterRestartAndDelete(t *testing.T) {
	backing := device.NewMemStorage()
	s1, err := Generate(device.NewSoftKeyStore(backing), AliasClient)
	if err != nil {
		t.Fatal(err)
	}
	ks2 := device.NewSoftKeyStore(backing) // a new process over the same storage
	s2, err := Load(ks2, AliasClient)
	if err != nil {
		t.Fatal(err)
	}
	if !s2.ECDSAPublic().Equal(s1.ECDSAPublic()) {
		t.Fatal("reloaded key differs")
	}
	d := sha256.Sum256([]byte("x"))
	sig, err := s2.Sign(nil, d[:], crypto.SHA256)
	if err != nil || !ecdsa.VerifyASN1(s1.ECDSAPublic(), d[:], sig) {
		t.Fatalf("signature by reloaded key: %v", err)
	}
	if err := s2.Delete(); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(device.NewSoftKeyStore(backing), AliasClient); err == nil {
		t.Fatal("deleted key still loads")
	}
}

func TestSignRejectsWrongDigests(t *testing.T) {
	s, err := Generate(device.NewSoftKeyStore(nil), "k")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignDigest([]byte("short")); !errors.Is(err, ErrDigest) {
		t.Fatalf("short digest: %v", err)
	}
	d := make([]byte, 48)
	if _, err := s.Sign(nil, d, crypto.SHA384); !errors.Is(err, ErrDigest) {
		t.Fatalf("SHA-384: %v", err)
	}
	if _, err := Load(device.NewSoftKeyStore(nil), "missing"); err == nil {
		t.Fatal("missing key loaded")
	}
}
