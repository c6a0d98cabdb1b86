package user

import (
	"context"
	"errors"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// User verification to approve (DESIGN §13, issues 14 and 15): an accept of a
// request whose type requires user verification carries one of two factors,
// the two implementations of this seam (as on the server, where
// server/device's userVerifier checks them):
//   - the PIN, asked through the PIN authentication events and verified by
//     the server with the profile's failure counter;
//   - the biometric authenticator, when it is registered and the profile's
//     preferred one: the fingerprint events (startAuthentication, then
//     submitFingerprintAccept/Deny/FallbackToPin), the prompt of the
//     user-verified key (onNextAuthenticationAttempt for each unrecognised
//     biometric, onFingerprintCaptured), and the answer signed by that key
//     too (protocol.SignUV; the server checks it against the registered
//     key and applies the biometric rate limit). Falling back to the PIN, a
//     locked-out or unavailable biometric, a key invalidated by a change of
//     the enrolled biometrics (the authenticator is then forgotten: it must
//     be registered again) and a server that refuses more biometric attempts
//     all continue with the PIN events.

// Verification is the factor an accept carries.
type Verification struct {
	// Method is protocol.VerificationPIN or protocol.VerificationBiometric.
	Method string
	// Pin is the PIN the user entered (VerificationPIN).
	Pin string
	// SignUV signs the answer digest with the biometric key once the user
	// passed its prompt (VerificationBiometric; protocol.SignUV calls it).
	SignUV protocol.Signer
}

// biometricPrompt is the biometric prompt's title when approving a request.
const biometricPrompt = "Approve the request"

// VerifyUser asks the user of profile pid to verify with the preferred
// factor (above) and hands the verification to try, which sends the answer:
// a wrong PIN (8004 with remainingFailureCount) emits incorrectPin and asks
// again; anything else ends the flow with try's result. When the server
// removed the registration the profile is forgotten locally.
func (u *Users) VerifyUser(ctx context.Context, pid string, try func(Verification) error) error {
	reg, err := u.c.Registration()
	if err != nil {
		return err
	}
	prof, err := u.profile(pid)
	if err != nil {
		return err
	}
	f, err := u.slot.Begin(u.Timeout)
	if err != nil {
		return err
	}
	defer f.End()
	if u.Biometric != nil && prof.Biometric && isBiometricID(prof.Preferred) {
		if done, err := u.verifyBiometric(ctx, f, pid, try); done {
			return err
		}
	}
	return u.verifyPin(ctx, f, reg, pid, func(pin string) error {
		return try(Verification{Method: protocol.VerificationPIN, Pin: pin})
	})
}

// verifyBiometric runs the fingerprint stage on f; done false means: go on
// with the PIN (no answer was recorded).
func (u *Users) verifyBiometric(ctx context.Context, f *flow.Flow, pid string, try func(Verification) error) (done bool, err error) {
	finish := func() { api.FingerprintFinishEvent.Emit(u.emit, api.FingerprintFinish{}) }
	f.Expect(inFpAccept, inFpDeny, inFpFallback, inCancelAuth)
	api.FingerprintStartEvent.Emit(u.emit, api.FingerprintStart{UserProfile: api.FingerprintProfile{ProfileID: pid}})
	in, err := f.Await(ctx, inFpAccept, inFpDeny, inFpFallback, inCancelAuth)
	f.Expect()
	if err != nil {
		finish()
		return true, err
	}
	in.Reply(nil)
	switch in.Kind {
	case inFpDeny, inCancelAuth:
		finish()
		return true, dispatch.Errorf(dispatch.CodeCancelled, "biometric verification was denied")
	case inFpFallback:
		finish()
		return false, nil
	}
	var uvErr error // what the prompt ended with, when it did not sign
	sign := func(digest []byte) ([]byte, error) {
		for attempt := 1; ; attempt++ {
			sig, err := u.Biometric.SignWithUserVerification(keys.BiometricAlias(pid), digest, biometricPrompt)
			err = device.UserVerificationError(err)
			if err == nil {
				api.FingerprintCapturedEvent.Emit(u.emit, api.FingerprintCaptured{})
				return sig, nil
			}
			if !errors.Is(err, device.ErrUVFailed) {
				uvErr = err
				return nil, err
			}
			if attempt >= maxBiometricAttempts {
				uvErr = device.ErrUVLockout
				return nil, uvErr
			}
			api.FingerprintNextAttemptEvent.Emit(u.emit, api.FingerprintNextAttempt{})
		}
	}
	err = try(Verification{Method: protocol.VerificationBiometric, SignUV: sign})
	finish()
	switch {
	case uvErr == nil && dispatch.CodeOf(err) == dispatch.CodeRateLimited:
		// The server refuses more biometric attempts for now: the PIN.
		return false, nil
	case uvErr == nil:
		return true, err // the server's answer
	case errors.Is(uvErr, device.ErrUVCanceled):
		return true, dispatch.Errorf(dispatch.CodeCancelled, "the biometric prompt was canceled")
	case errors.Is(uvErr, device.ErrUVKeyInvalidated):
		// Onegini's behaviour: the authenticator is gone (registered again
		// later); the PIN approves now.
		if ferr := u.forgetBiometric(pid); ferr != nil {
			return true, ferr
		}
		u.c.Log().Warn().Str("profile_id", pid).Msg("the enrolled biometrics changed: the biometric authenticator was removed; asking for the PIN")
		return false, nil
	case errors.Is(uvErr, device.ErrUVLockout), errors.Is(uvErr, device.ErrUVNotAvailable):
		return false, nil
	default:
		return true, dispatch.Wrap(dispatch.CodeBiometricFailure, uvErr, "the biometric key store failed")
	}
}

// verifyPin runs the PIN authentication events on f, handing each PIN of the
// right shape to try.
func (u *Users) verifyPin(ctx context.Context, f *flow.Flow, reg store.Client, pid string, try func(pin string) error) error {
	closeEv := api.PinAuthClose{ProfileID: pid}
	f.Expect(inPinAuth, inCancelAuth)
	api.PinAuthOpenEvent.Emit(u.emit, api.PinAuthOpen{ProfileID: pid})
	for {
		in, err := f.Await(ctx, inPinAuth, inCancelAuth)
		if err != nil {
			f.Expect()
			api.PinAuthCloseEvent.Emit(u.emit, closeEv)
			return err
		}
		if in.Kind == inCancelAuth {
			f.Expect()
			api.PinAuthCloseEvent.Emit(u.emit, closeEv)
			in.Reply(nil)
			return dispatch.Errorf(dispatch.CodeCancelled, "PIN entry was cancelled")
		}
		if len(in.Value) != reg.PinLength || !isDigits(in.Value) {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "the PIN must have %d digits", reg.PinLength))
			continue
		}
		err = try(in.Value)
		if e := dispatch.AsError(err); e != nil && e.Code == dispatch.CodeWrongPin {
			if n, ok := e.Data["remainingFailureCount"].(int); ok {
				api.IncorrectPinEvent.Emit(u.emit, api.IncorrectPin{ProfileID: pid, RemainingFailureCount: n})
				in.Reply(nil)
				continue
			}
		}
		if e := dispatch.AsError(err); e != nil && e.Code == dispatch.CodeUserDeregistered {
			if ferr := u.forgetProfile(pid); ferr != nil {
				u.c.Log().Error().Err(ferr).Msg("removing a deregistered profile failed")
			}
		}
		f.Expect()
		api.PinAuthCloseEvent.Emit(u.emit, closeEv)
		in.Reply(nil)
		return err
	}
}
