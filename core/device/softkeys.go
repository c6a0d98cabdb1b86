package device

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
)

// SoftKeyStore is a software KeyStore: P-256 keys generated in Go. With a
// backing Storage the private keys persist there (PKCS#8), so a desktop "phone"
// keeps its keys across restarts; with nil they live in memory only. It stands in
// for the hardware key store on desktops and in tests.
type SoftKeyStore struct {
	mu      sync.Mutex
	keys    map[string]*ecdsa.PrivateKey
	backing Storage
}

// NewSoftKeyStore returns a SoftKeyStore persisting into backing (may be nil).
func NewSoftKeyStore(backing Storage) *SoftKeyStore {
	return &SoftKeyStore{keys: map[string]*ecdsa.PrivateKey{}, backing: backing}
}

const softKeyPrefix = "softkey:"

func (k *SoftKeyStore) load(alias string) (*ecdsa.PrivateKey, error) {
	if key, ok := k.keys[alias]; ok {
		return key, nil
	}
	if k.backing == nil {
		return nil, fmt.Errorf("keystore: no key %q", alias)
	}
	der, err := k.backing.Get(softKeyPrefix + alias)
	if err != nil {
		return nil, err
	}
	if der == nil {
		return nil, fmt.Errorf("keystore: no key %q", alias)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("keystore: stored key is corrupt")
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("keystore: stored key is not ECDSA")
	}
	k.keys[alias] = key
	return key, nil
}

// GenerateKey implements KeyStore; it returns the PKIX DER public key.
func (k *SoftKeyStore) GenerateKey(alias string) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.backing != nil {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, err
		}
		if err := k.backing.Set(softKeyPrefix+alias, der); err != nil {
			return nil, err
		}
	}
	k.keys[alias] = key
	return x509.MarshalPKIXPublicKey(&key.PublicKey)
}

// PublicKey implements KeyStore.
func (k *SoftKeyStore) PublicKey(alias string) ([]byte, error) {
	k.mu.Lock()
	key, err := k.load(alias)
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return x509.MarshalPKIXPublicKey(&key.PublicKey)
}

// Sign implements KeyStore.
func (k *SoftKeyStore) Sign(alias string, digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, fmt.Errorf("keystore: digest must be 32 bytes, got %d", len(digest))
	}
	k.mu.Lock()
	key, err := k.load(alias)
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return ecdsa.SignASN1(rand.Reader, key, digest)
}

// DeleteKey implements KeyStore.
func (k *SoftKeyStore) DeleteKey(alias string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.keys, alias)
	if k.backing != nil {
		return k.backing.Delete(softKeyPrefix + alias)
	}
	return nil
}
