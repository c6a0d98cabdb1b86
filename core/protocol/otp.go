package protocol

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

// OTPBytes is the randomness of an OTP: 160 bits (the invariant asks for >= 128).
const OTPBytes = 20

// OTPLength is the length of an OTP string: base32 (RFC 4648 alphabet, upper
// case, no padding) of OTPBytes bytes — QR alphanumeric-mode friendly.
const OTPLength = 32

var otpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewOTP returns a fresh OTP.
func NewOTP() string {
	b := make([]byte, OTPBytes)
	_, _ = rand.Read(b)
	return otpEncoding.EncodeToString(b)
}

// NormalizeOTP trims spaces and upper-cases s and reports whether the result is
// a well-formed OTP (OTPLength characters of the base32 alphabet).
func NormalizeOTP(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != OTPLength {
		return s, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) {
			return s, false
		}
	}
	return s, true
}

// HashOTP is what the server stores instead of the OTP: hex SHA-256. (The OTP
// has 160 random bits, so a fast hash is enough against offline guessing.)
func HashOTP(otp string) string {
	h := sha256.Sum256([]byte(otp))
	return hex.EncodeToString(h[:])
}
