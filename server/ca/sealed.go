package ca

// Seal encrypts plain under the master key kek for purpose aad (the same
// "kek1:" form as the CA key); other stored secrets (the audit webhook's
// signing key) are sealed this way.
func Seal(kek, plain []byte, aad string) (string, error) { return seal(kek, plain, aad) }

// Open decrypts a value Seal made for purpose aad (ErrMasterKeyWrong when
// kek or aad do not match).
func Open(kek []byte, sealed, aad string) ([]byte, error) { return open(kek, sealed, aad) }

// IsSealed reports whether a stored value is sealed under a master key.
func IsSealed(v string) bool { return isSealed(v) }
