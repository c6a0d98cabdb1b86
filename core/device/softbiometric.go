package device

import (
	"errors"
	"sync"
)

// Biometric outcomes the SoftBiometric plays.
const (
	OutcomeSuccess = "success"
	OutcomeFail    = "fail"
	OutcomeCancel  = "cancel"
	OutcomeLockout = "lockout"
	OutcomeChanged = "changed" // the enrolled biometrics changed: every key is invalidated
)

// IsSoftBiometricOutcome reports whether o is one of the Outcome* names.
func IsSoftBiometricOutcome(o string) bool {
	switch o {
	case OutcomeSuccess, OutcomeFail, OutcomeCancel, OutcomeLockout, OutcomeChanged:
		return true
	}
	return false
}

// SoftBiometric is a UserVerifiedKeyStore in pure Go for tests, the desktop
// and the terminal phone: software P-256 keys (a SoftKeyStore) behind a
// scripted prompt. Each SignWithUserVerification plays the next scripted
// outcome (success when none is left). "changed" models a new fingerprint or
// face: like Android's setInvalidatedByBiometricEnrollment and iOS's
// .biometryCurrentSet, every existing key becomes unusable for good.
type SoftBiometric struct {
	keys *SoftKeyStore

	mu          sync.Mutex
	script      []string
	invalid     map[string]bool
	unavailable bool
	locked      bool
	prompts     []string
}

// NewSoftBiometric returns a SoftBiometric whose keys persist in backing (may be nil).
func NewSoftBiometric(backing Storage) *SoftBiometric {
	return &SoftBiometric{keys: NewSoftKeyStore(backing), invalid: map[string]bool{}}
}

// Script appends outcomes (Outcome* names) for the next prompts.
func (b *SoftBiometric) Script(outcomes ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.script = append(b.script, outcomes...)
}

// SetAvailable says whether a biometric is enrolled (default true).
func (b *SoftBiometric) SetAvailable(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.unavailable = !ok
}

// ChangeEnrollment models enrolling a new biometric: every key is invalidated
// and the lock-out ends.
func (b *SoftBiometric) ChangeEnrollment() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for a := range b.keys.keys {
		b.invalid[a] = true
	}
	b.locked = false
}

// Prompts returns the prompt titles shown so far.
func (b *SoftBiometric) Prompts() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.prompts...)
}

// BiometricAvailable implements UserVerifiedKeyStore.
func (b *SoftBiometric) BiometricAvailable() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.unavailable:
		return UVNotAvailable
	case b.locked:
		return UVLockout
	}
	return ""
}

// GenerateUserVerifiedKey implements UserVerifiedKeyStore.
func (b *SoftBiometric) GenerateUserVerifiedKey(alias string) ([]byte, error) {
	if b.BiometricAvailable() == UVNotAvailable {
		return nil, ErrUVNotAvailable
	}
	pub, err := b.keys.GenerateKey(alias)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	delete(b.invalid, alias)
	b.mu.Unlock()
	return pub, nil
}

// SignWithUserVerification implements UserVerifiedKeyStore.
func (b *SoftBiometric) SignWithUserVerification(alias string, digest []byte, prompt string) ([]byte, error) {
	b.mu.Lock()
	if b.unavailable {
		b.mu.Unlock()
		return nil, ErrUVNotAvailable
	}
	if b.invalid[alias] {
		b.mu.Unlock()
		return nil, ErrUVKeyInvalidated
	}
	if b.locked {
		b.mu.Unlock()
		return nil, ErrUVLockout
	}
	b.prompts = append(b.prompts, prompt)
	outcome := OutcomeSuccess
	if len(b.script) > 0 {
		outcome, b.script = b.script[0], b.script[1:]
	}
	switch outcome {
	case OutcomeFail:
		b.mu.Unlock()
		return nil, ErrUVFailed
	case OutcomeCancel:
		b.mu.Unlock()
		return nil, ErrUVCanceled
	case OutcomeLockout:
		b.locked = true
		b.mu.Unlock()
		return nil, ErrUVLockout
	case OutcomeChanged:
		for a := range b.keys.keys {
			b.invalid[a] = true
		}
		b.invalid[alias] = true
		b.mu.Unlock()
		return nil, ErrUVKeyInvalidated
	case OutcomeSuccess:
		b.mu.Unlock()
		return b.keys.Sign(alias, digest)
	}
	b.mu.Unlock()
	return nil, errors.New("softbiometric: unknown scripted outcome " + outcome)
}

// DeleteUserVerifiedKey implements UserVerifiedKeyStore.
func (b *SoftBiometric) DeleteUserVerifiedKey(alias string) error {
	b.mu.Lock()
	delete(b.invalid, alias)
	b.mu.Unlock()
	return b.keys.DeleteKey(alias)
}
