package user

import (
	"context"
	"fmt"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// authenticateUser runs PIN authentication of a profile: open, then PINs until
// the server accepts one (incorrectPin with the remaining count after each
// wrong one), then close. When the server removed the registration (too many
// wrong PINs) the profile is removed locally and the call rejects 9003.
func (u *Users) authenticateUser(ctx context.Context, p api.AuthenticateUserParams) (api.AuthData, error) {
	reg, err := u.c.Registration()
	if err != nil {
		return api.AuthData{}, err
	}
	pid := p.ProfileID
	prof, err := u.profile(pid)
	if err != nil {
		return api.AuthData{}, err
	}
	biometric := false
	if a := p.AuthenticatorID; a == nil || *a == "" {
		biometric = prof.Biometric && isBiometricID(prof.Preferred)
	} else if isBiometricID(*a) {
		if !prof.Biometric {
			return api.AuthData{}, dispatch.Errorf(dispatch.CodeAuthenticatorNotRegistered, "the biometric authenticator is not registered for this profile")
		}
		biometric = true
	} else if !strings.EqualFold(*a, api.AuthenticatorIDPin) {
		return api.AuthData{}, dispatch.Errorf(dispatch.CodeAuthenticatorNotSupported, "unknown authenticator; PIN or the biometric id of BiometricAuthenticatorIds")
	}
	f, err := u.slot.Begin(u.Timeout)
	if err != nil {
		return api.AuthData{}, err
	}
	defer f.End()
	if biometric {
		return u.authenticateBiometric(ctx, f, reg, pid)
	}
	if _, err := u.pinAuth(ctx, f, reg, pid); err != nil {
		return api.AuthData{}, err
	}
	return api.AuthData{UserProfile: api.UserProfile{ID: pid}}, nil
}

// pinAuth runs the PIN authentication events on f until the server accepts a
// PIN (stored tokens, session) and returns that PIN.
func (u *Users) pinAuth(ctx context.Context, f *flow.Flow, reg store.Client, pid string) (string, error) {
	closeEv := api.PinAuthClose{ProfileID: pid}
	f.Expect(inPinAuth, inCancelAuth)
	api.PinAuthOpenEvent.Emit(u.emit, api.PinAuthOpen{ProfileID: pid})
	for {
		in, err := f.Await(ctx, inPinAuth, inCancelAuth)
		if err != nil {
			f.Expect()
			api.PinAuthCloseEvent.Emit(u.emit, closeEv)
			return "", err
		}
		if in.Kind == inCancelAuth {
			f.Expect()
			api.PinAuthCloseEvent.Emit(u.emit, closeEv)
			in.Reply(nil)
			return "", dispatch.Errorf(dispatch.CodeCancelled, "PIN authentication was cancelled")
		}
		if len(in.Value) != reg.PinLength || !isDigits(in.Value) {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "the PIN must have %d digits", reg.PinLength))
			continue
		}
		var tr protocol.TokenResponse
		err = u.c.Call(ctx, "POST", protocol.PathToken, protocol.TokenRequest{
			GrantType: protocol.GrantPin, ProfileID: pid, Pin: in.Value,
		}, "", &tr)
		if e := dispatch.AsError(err); e != nil && e.Code == dispatch.CodeWrongPin {
			if n, ok := e.Data["remainingFailureCount"].(int); ok {
				api.IncorrectPinEvent.Emit(u.emit, api.IncorrectPin{ProfileID: pid, RemainingFailureCount: n,
					ErrorCode: int(dispatch.CodeWrongPin), ErrorMsg: fmt.Sprintf("wrong PIN; %d attempt(s) left", n)})
				in.Reply(nil)
				continue
			}
			// invalid_pin always carries remaining_attempts (DESIGN §6); without
			// it the app cannot tell the user what is left.
			err = dispatch.Errorf(dispatch.CodeGeneral, "the server's invalid_pin answer has no remaining attempts")
		}
		if err == nil && (tr.AccessToken == "" || tr.ProfileID != pid) {
			err = dispatch.Errorf(dispatch.CodeGeneral, "the server's token answer is incomplete")
		}
		if err == nil {
			err = u.saveTokens(tr)
		}
		if e := dispatch.AsError(err); e != nil && e.Code == dispatch.CodeUserDeregistered {
			if ferr := u.forgetProfile(pid); ferr != nil {
				u.c.Log().Error().Err(ferr).Msg("removing a deregistered profile failed")
			}
			if n, ok := e.Data["remainingFailureCount"].(int); ok && n == 0 {
				// The server removed the registration because of this wrong PIN.
				err = dispatch.Wrap(dispatch.CodeUserDeregistered, err, "the PIN was wrong and no attempts were left: the registration was removed; register again").With("remainingFailureCount", 0).With("serverError", protocol.ErrUserDeregistered)
			}
		}
		f.Expect()
		api.PinAuthCloseEvent.Emit(u.emit, closeEv)
		in.Reply(nil)
		if err != nil {
			return "", err
		}
		return in.Value, nil
	}
}
