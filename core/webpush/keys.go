package webpush

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"io"
)

// AuthSecretLen is the length of a subscription's authentication secret
// (RFC 8291 §3.2: 16 octets).
const AuthSecretLen = 16

// Keys are one subscription's receiving keys: the user agent's ECDH key pair
// (ua_private, ua_public in RFC 8291 §3.4) and the authentication secret.
type Keys struct {
	priv *ecdh.PrivateKey
	auth []byte
}

// NewKeys creates fresh subscription keys from r (crypto/rand when nil).
func NewKeys(r io.Reader) (*Keys, error) {
	if r == nil {
		r = rand.Reader
	}
	priv, err := ecdh.P256().GenerateKey(r)
	if err != nil {
		return nil, err
	}
	auth := make([]byte, AuthSecretLen)
	if _, err := io.ReadFull(r, auth); err != nil {
		return nil, err
	}
	return &Keys{priv: priv, auth: auth}, nil
}

// ParseKeys rebuilds keys saved with PrivateKey and AuthSecret: a 32-byte P-256
// scalar and a 16-byte secret.
func ParseKeys(privateKey, authSecret []byte) (*Keys, error) {
	if len(authSecret) != AuthSecretLen {
		return nil, ErrBadKeys
	}
	priv, err := ecdh.P256().NewPrivateKey(privateKey)
	if err != nil {
		return nil, ErrBadKeys
	}
	return &Keys{priv: priv, auth: append([]byte(nil), authSecret...)}, nil
}

// PublicKey is ua_public as the 65-octet uncompressed point (the "p256dh" key
// of a subscription, RFC 8291 §3.2).
func (k *Keys) PublicKey() []byte { return k.priv.PublicKey().Bytes() }

// PrivateKey is the 32-octet private scalar, for saving the keys. It is a
// secret: never log it.
func (k *Keys) PrivateKey() []byte { return k.priv.Bytes() }

// AuthSecret is the 16-octet authentication secret (the "auth" key). It is a
// secret: never log it.
func (k *Keys) AuthSecret() []byte { return append([]byte(nil), k.auth...) }

// P256dh is PublicKey in unpadded base64url, as PushSubscription.getKey and
// the W3C Push API's JSON form carry it.
func (k *Keys) P256dh() string { return base64.RawURLEncoding.EncodeToString(k.PublicKey()) }

// Auth is AuthSecret in unpadded base64url.
func (k *Keys) Auth() string { return base64.RawURLEncoding.EncodeToString(k.auth) }
