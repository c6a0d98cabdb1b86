package device

import (
	"errors"
	"strings"
)

// UserVerifiedKeyStore is the biometric authenticator's key store (issue 15,
// DESIGN §14): P-256 keys that sign only after the user passed a strong
// biometric prompt. Android: a Keystore key with
// setUserAuthenticationRequired(true), setInvalidatedByBiometricEnrollment(true),
// unlocked through BiometricPrompt with BIOMETRIC_STRONG and a CryptoObject;
// iOS: a Secure Enclave key with access control .privateKeyUsage +
// .biometryCurrentSet, signed through an LAContext. The method set uses only
// gomobile-compatible types.
//
// A native implementation reports the prompt's outcome as an error whose
// message starts with one of the UV* codes below (then ": " and any detail);
// UserVerificationError maps it to the named errors.
type UserVerifiedKeyStore interface {
	// BiometricAvailable reports whether a strong biometric is enrolled and
	// usable on this device ("" when it is, else a UV* code saying why not:
	// UVNotAvailable or UVLockout).
	BiometricAvailable() string
	// GenerateUserVerifiedKey creates a user-verified P-256 key under alias
	// (replacing an old one) and returns its public key (PKIX DER or X9.63).
	// Creating it needs no prompt.
	GenerateUserVerifiedKey(alias string) ([]byte, error)
	// SignWithUserVerification shows the biometric prompt (title: prompt)
	// and, when the user passes it, signs the 32-byte digest with alias's
	// key (ASN.1 DER). It returns when the prompt ends: success, or an error
	// UVFailed (one attempt not recognised; the SDK may call again),
	// UVCanceled, UVLockout, or UVKeyInvalidated (the enrolled biometrics
	// changed since the key was made: it can never sign again).
	SignWithUserVerification(alias string, digest []byte, prompt string) ([]byte, error)
	// DeleteUserVerifiedKey removes alias's key; absent is not an error.
	DeleteUserVerifiedKey(alias string) error
}

// Outcome codes of the biometric prompt, as native implementations report them.
const (
	UVFailed         = "UV_FAILED"
	UVCanceled       = "UV_CANCELED"
	UVLockout        = "UV_LOCKOUT"
	UVKeyInvalidated = "UV_KEY_INVALIDATED"
	UVNotAvailable   = "UV_NOT_AVAILABLE"
)

// The named outcomes of a biometric prompt.
var (
	ErrUVFailed         = errors.New(UVFailed + ": biometric not recognised")
	ErrUVCanceled       = errors.New(UVCanceled + ": the user canceled the biometric prompt")
	ErrUVLockout        = errors.New(UVLockout + ": too many failed biometric attempts; biometrics are locked")
	ErrUVKeyInvalidated = errors.New(UVKeyInvalidated + ": the enrolled biometrics changed; the biometric key is invalid")
	ErrUVNotAvailable   = errors.New(UVNotAvailable + ": no strong biometric is enrolled")
)

// UserVerificationError maps an error of a UserVerifiedKeyStore to the named
// outcome its message starts with; other errors come back unchanged.
func UserVerificationError(err error) error {
	if err == nil {
		return nil
	}
	for _, e := range []error{ErrUVFailed, ErrUVCanceled, ErrUVLockout, ErrUVKeyInvalidated, ErrUVNotAvailable} {
		if errors.Is(err, e) {
			return e
		}
		code, _, _ := strings.Cut(e.Error(), ":")
		if m := err.Error(); m == code || strings.HasPrefix(m, code+":") {
			return e
		}
	}
	return err
}
