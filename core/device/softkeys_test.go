package device

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
)

func parsePub(t *testing.T, der []byte) *ecdsa.PublicKey {
	t.Helper()
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Fatalf("not a P-256 key: %T", k)
	}
	return pub
}

func TestSoftKeyStoreSignVerify(t *testing.T) {
	ks := NewSoftKeyStore(nil)
	der, err := ks.GenerateKey("device")
	if err != nil {
		t.Fatal(err)
	}
	pub := parsePub(t, der)
	again, err := ks.PublicKey("device")
	if err != nil || !bytes.Equal(again, der) {
		t.Fatalf("PublicKey differs from GenerateKey: %v", err)
	}
	digest := sha256.Sum256([]byte("transaction 42 accept"))
	sig, err := ks.Sign("device", digest[:])
	if err != nil {
		t.Fatal(err)
	}
	if !ecdsa.VerifyASN1(pub, digest[:], sig) {
		t.Fatal("signature does not verify")
	}
	other := sha256.Sum256([]byte("transaction 42 deny"))
	if ecdsa.VerifyASN1(pub, other[:], sig) {
		t.Fatal("signature verifies for another digest")
	}
	if _, err := ks.Sign("device", digest[:31]); err == nil {
		t.Fatal("short digest accepted")
	}
	if _, err := ks.Sign("missing", digest[:]); err == nil {
		t.Fatal("signed with a missing key")
	}
	if _, err := ks.PublicKey("missing"); err == nil {
		t.Fatal("public key of a missing alias")
	}
	// A second alias is a different key; regenerating replaces the key.
	der2, _ := ks.GenerateKey("other")
	if bytes.Equal(der2, der) {
		t.Fatal("two aliases share a key")
	}
	der3, _ := ks.GenerateKey("device")
	if bytes.Equal(der3, der) {
		t.Fatal("GenerateKey did not replace the key")
	}
	sig3, _ := ks.Sign("device", digest[:])
	if ecdsa.VerifyASN1(pub, digest[:], sig3) || !ecdsa.VerifyASN1(parsePub(t, der3), digest[:], sig3) {
		t.Fatal("signing does not use the replaced key")
	}
	if err := ks.DeleteKey("device"); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Sign("device", digest[:]); err == nil {
		t.Fatal("signed after DeleteKey")
	}
	if err := ks.DeleteKey("device"); err != nil {
		t.Fatalf("deleting an absent key: %v", err)
	}
}

func TestSoftKeyStorePersists(t *testing.T) {
	dir := t.TempDir()
	fs, err := NewFileStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	der, err := NewSoftKeyStore(fs).GenerateKey("device")
	if err != nil {
		t.Fatal(err)
	}
	// A new key store over a reopened storage signs with the same key.
	fs2, _ := NewFileStorage(dir)
	ks2 := NewSoftKeyStore(fs2)
	got, err := ks2.PublicKey("device")
	if err != nil || !bytes.Equal(got, der) {
		t.Fatalf("key lost across reopen: %v", err)
	}
	digest := sha256.Sum256([]byte("x"))
	sig, err := ks2.Sign("device", digest[:])
	if err != nil || !ecdsa.VerifyASN1(parsePub(t, der), digest[:], sig) {
		t.Fatalf("reopened key does not sign: %v", err)
	}
	// The private key is not readable from the files.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if bytes.Contains(data, []byte{0x30, 0x81, 0x87, 0x02, 0x01, 0x00}) { // PKCS#8 header
			t.Fatalf("plain PKCS#8 key in %s", e.Name())
		}
	}
	if err := ks2.DeleteKey("device"); err != nil {
		t.Fatal(err)
	}
	fs3, _ := NewFileStorage(dir)
	if _, err := NewSoftKeyStore(fs3).PublicKey("device"); err == nil {
		t.Fatal("deleted key survived reopen")
	}
}

func TestSoftKeyStoreCorruptBacking(t *testing.T) {
	m := NewMemStorage()
	_ = m.Set(softKeyPrefix+"bad", []byte("not a key"))
	ks := NewSoftKeyStore(m)
	if _, err := ks.PublicKey("bad"); err == nil {
		t.Fatal("corrupt stored key accepted")
	}
}

// The pure-Go implementations satisfy the capability interfaces.
var (
	_ Storage  = (*FileStorage)(nil)
	_ Storage  = (*MemStorage)(nil)
	_ KeyStore = (*SoftKeyStore)(nil)
)
