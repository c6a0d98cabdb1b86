package keys

import (
	"crypto"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/protocol"
)

// AliasClient is the key store alias of the app instance's client key (DPoP proofs).
const AliasClient = "client"

// MobileAuthAlias is the key store alias of a profile's mobile-authentication key.
func MobileAuthAlias(profileID string) string { return "mobileauth/" + profileID }

// BiometricAlias is the alias of a profile's user-verified biometric key.
func BiometricAlias(profileID string) string { return "biometric/" + profileID }

// ErrDigest is returned when Sign is asked to sign anything but a SHA-256 digest.
var ErrDigest = errors.New("keys: only 32-byte SHA-256 digests can be signed")

// Signer is a crypto.Signer whose private key lives in a device.KeyStore under
// an alias. It is safe for concurrent use.
type Signer struct {
	ks    device.KeyStore
	alias string
	pub   *ecdsa.PublicKey
}

// Load returns a Signer for the existing key of alias.
func Load(ks device.KeyStore, alias string) (*Signer, error) {
	raw, err := ks.PublicKey(alias)
	if err != nil {
		return nil, fmt.Errorf("keys: no key %q: %w", alias, err)
	}
	return newSigner(ks, alias, raw)
}

// Generate creates a new P-256 key under alias (replacing any old key of that
// alias) and returns its Signer.
func Generate(ks device.KeyStore, alias string) (*Signer, error) {
	raw, err := ks.GenerateKey(alias)
	if err != nil {
		return nil, fmt.Errorf("keys: generating %q: %w", alias, err)
	}
	s, err := newSigner(ks, alias, raw)
	if err != nil {
		_ = ks.DeleteKey(alias)
		return nil, err
	}
	return s, nil
}

func newSigner(ks device.KeyStore, alias string, raw []byte) (*Signer, error) {
	pub, err := protocol.ParsePublicKey(raw)
	if err != nil {
		return nil, fmt.Errorf("keys: key %q: %w", alias, err)
	}
	return &Signer{ks: ks, alias: alias, pub: pub}, nil
}

// Alias returns the key store alias.
func (s *Signer) Alias() string { return s.alias }

// Public implements crypto.Signer.
func (s *Signer) Public() crypto.PublicKey { return s.pub }

// ECDSAPublic returns the P-256 public key.
func (s *Signer) ECDSAPublic() *ecdsa.PublicKey { return s.pub }

// Sign implements crypto.Signer: digest must be a SHA-256 digest (opts
// crypto.SHA256, or nil); the answer is an ASN.1 DER ECDSA signature made by the
// key store. rand is unused (the key store has its own randomness).
func (s *Signer) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts != nil && opts.HashFunc() != crypto.SHA256 {
		return nil, ErrDigest
	}
	return s.SignDigest(digest)
}

// SignDigest signs a 32-byte SHA-256 digest; it has the shape of protocol.Signer.
func (s *Signer) SignDigest(digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, ErrDigest
	}
	sig, err := s.ks.Sign(s.alias, digest)
	if err != nil {
		return nil, fmt.Errorf("keys: signing with %q: %w", s.alias, err)
	}
	return sig, nil
}

// Delete removes the key from the key store.
func (s *Signer) Delete() error { return s.ks.DeleteKey(s.alias) }
