package push

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"
)

// jwtParts splits a compact JWS and decodes its header and claims.
func jwtParts(t *testing.T, s string) (header, claims map[string]any, signingInput string, sig []byte) {
	t.Helper()
	p := strings.Split(s, ".")
	if len(p) != 3 {
		t.Fatalf("not a compact JWS: %d parts", len(p))
	}
	dec := func(x string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(x)
		if err != nil {
			t.Fatalf("JWS part not base64url: %v", err)
		}
		return b
	}
	if err := json.Unmarshal(dec(p[0]), &header); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(dec(p[1]), &claims); err != nil {
		t.Fatal(err)
	}
	return header, claims, p[0] + "." + p[1], dec(p[2])
}

func verifyRS256(pub *rsa.PublicKey, input string, sig []byte) bool {
	h := sha256.Sum256([]byte(input))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil
}

// verifyES256 checks a JWS ES256 signature (RFC 7518 §3.4: R || S, 32 octets each).
func verifyES256(pub *ecdsa.PublicKey, input string, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	h := sha256.Sum256([]byte(input))
	return ecdsa.Verify(pub, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
}

func mustTime(s string) time.Time {
	t, err := http.ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}
