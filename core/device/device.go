package device

// Storage is secure key-value storage (Android: Keystore-wrapped; iOS: Keychain).
// The method set uses only gomobile-compatible types so a native implementation
// passed through the bridge satisfies it directly.
type Storage interface {
	// Get returns the value stored under key, or nil (and no error) when absent.
	Get(key string) ([]byte, error)
	// Set stores value under key, replacing any previous value.
	Set(key string, value []byte) error
	// Delete removes key; deleting an absent key is not an error.
	Delete(key string) error
}

// KeyStore is a hardware key store holding ECDSA P-256 keys by alias (Android
// Keystore / iOS Secure Enclave). The private key never leaves it.
type KeyStore interface {
	// GenerateKey creates a new P-256 key under alias (replacing an old one) and
	// returns its public key, PKIX DER (SubjectPublicKeyInfo) or the 65-byte
	// uncompressed point (X9.63).
	GenerateKey(alias string) ([]byte, error)
	// PublicKey returns the public key of alias in the same encodings; an error
	// when there is no such key.
	PublicKey(alias string) ([]byte, error)
	// Sign signs a 32-byte SHA-256 digest with the key of alias and returns an
	// ASN.1 DER ECDSA signature.
	Sign(alias string, digest []byte) ([]byte, error)
	// DeleteKey removes the key of alias; deleting an absent key is not an error.
	DeleteKey(alias string) error
}
