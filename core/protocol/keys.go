package protocol

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"math/big"
)

// B64 is the base64url encoding without padding used for every binary value on
// the wire.
var B64 = base64.RawURLEncoding

// ErrBadKey is returned for public keys that are not P-256.
var ErrBadKey = errors.New("protocol: not a P-256 public key")

// ParsePublicKey parses a P-256 public key given as PKIX DER
// (SubjectPublicKeyInfo, what Android returns) or as the 65-byte uncompressed
// point (X9.63, what iOS returns).
func ParsePublicKey(b []byte) (*ecdsa.PublicKey, error) {
	if len(b) == 65 && b[0] == 4 {
		x := new(big.Int).SetBytes(b[1:33])
		y := new(big.Int).SetBytes(b[33:])
		pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}
		if !pub.Curve.IsOnCurve(x, y) { //nolint:staticcheck // validation of untrusted input
			return nil, ErrBadKey
		}
		return pub, nil
	}
	k, err := x509.ParsePKIXPublicKey(b)
	if err != nil {
		return nil, ErrBadKey
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, ErrBadKey
	}
	return pub, nil
}

// EncodePublicKey returns base64url PKIX DER of pub (the wire form of keys).
func EncodePublicKey(pub *ecdsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	return B64.EncodeToString(der), nil
}

// DecodePublicKey parses the wire form of a key (base64url PKIX DER or X9.63).
func DecodePublicKey(s string) (*ecdsa.PublicKey, error) {
	b, err := B64.DecodeString(s)
	if err != nil {
		return nil, ErrBadKey
	}
	return ParsePublicKey(b)
}

// KeyThumbprint returns base64url SHA-256 of the PKIX DER of pub: a stable key id.
func KeyThumbprint(pub *ecdsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	h := sha256.Sum256(der)
	return B64.EncodeToString(h[:])
}

// Signer signs a SHA-256 digest and returns an ASN.1 DER ECDSA signature. The
// device's KeyStore.Sign bound to an alias is a Signer; so is a software key.
type Signer func(digest []byte) ([]byte, error)

// derToRaw converts an ASN.1 DER ECDSA signature to the 64-byte r||s form JWS uses.
func derToRaw(der []byte) ([]byte, error) {
	var sig struct{ R, S *big.Int }
	if _, err := asn1Unmarshal(der, &sig); err != nil || sig.R == nil || sig.S == nil {
		return nil, errors.New("protocol: malformed ECDSA signature")
	}
	if sig.R.Sign() <= 0 || sig.S.Sign() <= 0 || sig.R.BitLen() > 256 || sig.S.BitLen() > 256 {
		return nil, errors.New("protocol: malformed ECDSA signature")
	}
	out := make([]byte, 64)
	sig.R.FillBytes(out[:32])
	sig.S.FillBytes(out[32:])
	return out, nil
}

// verifyRaw verifies a 64-byte r||s signature over digest.
func verifyRaw(pub *ecdsa.PublicKey, digest, raw []byte) bool {
	if len(raw) != 64 {
		return false
	}
	r := new(big.Int).SetBytes(raw[:32])
	s := new(big.Int).SetBytes(raw[32:])
	return ecdsa.Verify(pub, digest, r, s)
}
