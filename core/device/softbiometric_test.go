package device

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"testing"
)

func TestSoftBiometricOutcomes(t *testing.T) {
	b := NewSoftBiometric(nil)
	var _ UserVerifiedKeyStore = b
	der, err := b.GenerateUserVerifiedKey("bio")
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256([]byte("challenge"))
	sig, err := b.SignWithUserVerification("bio", d[:], "Log in")
	if err != nil || !ecdsa.VerifyASN1(pk.(*ecdsa.PublicKey), d[:], sig) {
		t.Fatalf("success: %v", err)
	}
	b.Script(OutcomeFail, OutcomeCancel, OutcomeSuccess)
	for _, want := range []error{ErrUVFailed, ErrUVCanceled, nil} {
		if _, err := b.SignWithUserVerification("bio", d[:], "Log in"); !errors.Is(err, want) && !(want == nil && err == nil) {
			t.Fatalf("got %v, want %v", err, want)
		}
	}
	b.Script(OutcomeLockout)
	if _, err := b.SignWithUserVerification("bio", d[:], "Log in"); !errors.Is(err, ErrUVLockout) {
		t.Fatal(err)
	}
	if b.BiometricAvailable() != UVLockout {
		t.Fatal("not locked out")
	}
	if _, err := b.SignWithUserVerification("bio", d[:], "Log in"); !errors.Is(err, ErrUVLockout) {
		t.Fatal("lock-out did not last")
	}
	// A new enrollment ends the lock-out and invalidates the key for good;
	// a new key works.
	b.ChangeEnrollment()
	if _, err := b.SignWithUserVerification("bio", d[:], "Log in"); !errors.Is(err, ErrUVKeyInvalidated) {
		t.Fatal(err)
	}
	if _, err := b.GenerateUserVerifiedKey("bio"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SignWithUserVerification("bio", d[:], "Log in"); err != nil {
		t.Fatal(err)
	}
	if n := len(b.Prompts()); n != 6 {
		t.Fatalf("%d prompts shown, want 6", n)
	}
	b.SetAvailable(false)
	if _, err := b.GenerateUserVerifiedKey("bio2"); !errors.Is(err, ErrUVNotAvailable) {
		t.Fatal(err)
	}
}

// Native implementations report outcomes by message prefix.
func TestUserVerificationError(t *testing.T) {
	for msg, want := range map[string]error{
		"UV_CANCELED: user pressed cancel":    ErrUVCanceled,
		"UV_KEY_INVALIDATED":                  ErrUVKeyInvalidated,
		"UV_LOCKOUT: BIOMETRIC_ERROR_LOCKOUT": ErrUVLockout,
		"UV_FAILED: not recognised":           ErrUVFailed,
	} {
		if got := UserVerificationError(errors.New(msg)); got != want {
			t.Fatalf("%q → %v", msg, got)
		}
	}
	other := errors.New("UV_CANCELEDX: no")
	if UserVerificationError(other) != other {
		t.Fatal("prefix without separator matched")
	}
}
