package ca

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// MasterKeySize is the size of the key-encryption key (AES-256).
const MasterKeySize = 32

// Errors of the CA key's encryption at rest (issue 11, item 11).
var (
	// ErrMasterKeyNeeded: the store holds an encrypted CA key and no master
	// key was given.
	ErrMasterKeyNeeded = errors.New("the store's enrollment CA key is encrypted: give the master key (--master-key-file or OMA_MASTER_KEY)")
	// ErrMasterKeyWrong: the given master key does not open the stored CA key.
	ErrMasterKeyWrong = errors.New("the master key does not decrypt the store's enrollment CA key (wrong key?)")
	// ErrMasterKeyFormat: a master key must be 32 bytes, base64 or hex encoded.
	ErrMasterKeyFormat = errors.New("a master key must be 32 random bytes, base64 or hex encoded (e.g. head -c 32 /dev/urandom | base64)")
)

// ParseMasterKey reads a master key: 32 bytes in standard or URL-safe
// base64 (padded or not) or hex; surrounding white space is ignored.
func ParseMasterKey(text string) ([]byte, error) {
	s := strings.TrimSpace(text)
	for _, dec := range []func(string) ([]byte, error){
		base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, base64.RawURLEncoding.DecodeString, hex.DecodeString,
	} {
		if k, err := dec(s); err == nil && len(k) == MasterKeySize {
			return k, nil
		}
	}
	return nil, ErrMasterKeyFormat
}

// sealedPrefix marks a stored value encrypted under the master key:
// "kek1:" + base64url(nonce || AES-256-GCM ciphertext and tag).
const sealedPrefix = "kek1:"

// caKeyAAD binds a sealed value to its purpose (a sealed CA key cannot be
// passed off as another sealed setting).
const caKeyAAD = "oma enrollment CA private key v1"

func isSealed(v string) bool { return strings.HasPrefix(v, sealedPrefix) }

func seal(kek []byte, plain []byte, aad string) (string, error) {
	aead, err := newGCM(kek)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, plain, []byte(aad))
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

func open(kek []byte, sealed, aad string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, sealedPrefix))
	if err != nil {
		return nil, errors.New("ca: sealed value is not base64url")
	}
	aead, err := newGCM(kek)
	if err != nil {
		return nil, err
	}
	if len(raw) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrMasterKeyWrong
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(aad))
	if err != nil {
		return nil, ErrMasterKeyWrong
	}
	return plain, nil
}

func newGCM(kek []byte) (cipher.AEAD, error) {
	if len(kek) != MasterKeySize {
		return nil, ErrMasterKeyFormat
	}
	b, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
