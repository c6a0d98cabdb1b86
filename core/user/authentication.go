package user

import (
	"context"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
)

// authenticateUser runs PIN authentication of a profile: open, then PINs until
// the server accepts one (incorrectPin with the remaining count after each
// wrong one), then close. When the server removed the registration (too many
// wrong PINs) the profile is removed locally and the call rejects 9003.
func (u *Users) authenticateUser(ctx context.Context, call *dispatch.Call) (any, error) {
	reg, err := u.c.Registration()
	if err != nil {
		return nil, err
	}
	pid, err := call.String("profileId")
	if err != nil {
		return nil, err
	}
	authn, err := call.OptString("authenticatorId")
	if err != nil {
		return nil, err
	}
	if authn != "" && !strings.EqualFold(authn, "pin") {
		return nil, dispatch.Errorf(dispatch.CodeBadParameters, "unknown authenticator; only the PIN authenticator (null or \"PIN\") exists")
	}
	if _, err := u.profile(pid); err != nil {
		return nil, err
	}
	f, err := u.slot.Begin(u.Timeout)
	if err != nil {
		return nil, err
	}
	defer f.End()
	ev := api.PinAuthenticationEvent{Flow: api.FlowAuthentication, ProfileID: pid}
	open, closeEv := ev, ev
	open.Action, closeEv.Action = api.ActionOpen, api.ActionClose
	f.Expect(inPinAuth, inCancelAuth)
	u.emit(api.EventPinAuthentication, open)
	for {
		in, err := f.Await(ctx, inPinAuth, inCancelAuth)
		if err != nil {
			f.Expect()
			u.emit(api.EventPinAuthentication, closeEv)
			return nil, err
		}
		if in.Kind == inCancelAuth {
			f.Expect()
			u.emit(api.EventPinAuthentication, closeEv)
			in.Reply(nil)
			return nil, dispatch.Errorf(dispatch.CodeCancelled, "PIN authentication was cancelled")
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
			ip := ev
			ip.Action = api.ActionIncorrectPin
			if n, ok := e.Data["remainingFailureCount"].(int); ok {
				ip.RemainingFailureCount = &n
			}
			u.emit(api.EventPinAuthentication, ip)
			in.Reply(nil)
			continue
		}
		if err == nil && (tr.AccessToken == "" || tr.ProfileID != pid) {
			err = dispatch.Errorf(dispatch.CodeGeneral, "the server's token answer is incomplete")
		}
		if err == nil {
			err = u.saveTokens(tr)
		}
		if dispatch.CodeOf(err) == dispatch.CodeUserDeregistered {
			if ferr := u.forgetProfile(pid); ferr != nil {
				u.c.Log().Error().Err(ferr).Msg("removing a deregistered profile failed")
			}
		}
		f.Expect()
		u.emit(api.EventPinAuthentication, closeEv)
		in.Reply(nil)
		if err != nil {
			return nil, err
		}
		return map[string]any{"userProfile": api.UserProfile{ID: pid}}, nil
	}
}
