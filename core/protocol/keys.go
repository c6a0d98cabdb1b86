package protocol

import (
	"bytes"
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
	// The DER of a P-256 SubjectPublicKeyInfo is this fixed prefix and the
	// uncompressed point: x509.ParsePKIXPublicKey would read exactly that.
	if len(b) == len(p256SPKIPrefix)+65 && bytes.HasPrefix(b, p256SPKIPrefix) {
		b = b[len(p256SPKIPrefix):]
	}
	if len(b) == 65 && b[0] == 4 {
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), b) // checks that the point is on the curve
		if err != nil {
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

// p256SPKIPrefix is the DER of a P-256 SubjectPublicKeyInfo up to its point:
// SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (65 bytes,
// no unused bits) }.
var p256SPKIPrefix = []byte{0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00}

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

// verifyRaw verifies a 64-byte r||s signature over digest. It is
// ecdsa.Verify(pub, digest, r, s) without the big.Int round trip: r and s
// are DER-encoded as ecdsa.Verify encodes them (zero refused, leading zeros
// dropped, a zero byte before a high bit) and given to ecdsa.VerifyASN1.
func verifyRaw(pub *ecdsa.PublicKey, digest, raw []byte) bool {
	if len(raw) != 64 {
		return false
	}
	var buf [2 + 2*(2+33)]byte
	der := append(buf[:0], 0x30, 0)
	der, okR := appendASN1Int(der, raw[:32])
	der, okS := appendASN1Int(der, raw[32:])
	if !okR || !okS {
		return false
	}
	der[1] = byte(len(der) - 2)
	return ecdsa.VerifyASN1(pub, digest, der)
}

// appendASN1Int appends the DER INTEGER of the unsigned big-endian v (at
// most 32 bytes); false when v is zero.
func appendASN1Int(b, v []byte) ([]byte, bool) {
	for len(v) > 0 && v[0] == 0 {
		v = v[1:]
	}
	if len(v) == 0 {
		return b, false
	}
	if v[0]&0x80 != 0 {
		b = append(b, 0x02, byte(len(v)+1), 0)
	} else {
		b = append(b, 0x02, byte(len(v)))
	}
	return append(b, v...), true
}
