package protocol

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
)

// NewPKCE returns a fresh code verifier (256 bits, base64url) and its S256 challenge.
func NewPKCE() (verifier, challenge string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	verifier = B64.EncodeToString(b)
	return verifier, PKCEChallenge(verifier)
}

// PKCEChallenge is the S256 code challenge of verifier (RFC 7636).
func PKCEChallenge(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return B64.EncodeToString(h[:])
}

// PKCEMatches reports whether verifier matches the S256 challenge, in constant time.
func PKCEMatches(verifier, challenge string) bool {
	return subtle.ConstantTimeCompare([]byte(PKCEChallenge(verifier)), []byte(challenge)) == 1
}

// RandomToken returns n random bytes as base64url (for state, nonces, tokens).
func RandomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return B64.EncodeToString(b)
}
