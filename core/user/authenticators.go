package user

import (
	"context"
	"errors"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"github.com/openmobileauth/oma/core/store"
)

// Biometric authenticator and PIN management (issue 15, DESIGN §14). The
// biometric key lives in the UserVerifiedKeyStore (Users.Biometric); nil
// means this device offers no biometric authenticator.

// Flow input kinds of the fingerprint stage.
const (
	inFpAccept   = "fingerprint:accept"
	inFpDeny     = "fingerprint:deny"
	inFpFallback = "fingerprint:fallback"
)

// maxBiometricAttempts bounds the unrecognised biometrics of one prompt
// sequence before the SDK gives up (platform prompts lock out earlier).
const maxBiometricAttempts = 5

// isBiometricID reports whether id names the biometric authenticator: the
// ids of Types.BiometricAuthenticatorIds, in any case (the Onegini Cordova
// plugin names it by its type, "Fingerprint").
func isBiometricID(id string) bool {
	_, ok := canonicalBiometricID(id)
	return ok
}

// canonicalBiometricID returns the biometric id as Types.BiometricAuthenticatorIds spells it.
func canonicalBiometricID(id string) (string, bool) {
	for _, b := range []string{api.AuthenticatorIDAndroidFingerprint, api.AuthenticatorIDIOSBiometric} {
		if strings.EqualFold(id, b) {
			return b, true
		}
	}
	return "", false
}

// biometricAuthenticator describes this device's biometric authenticator.
func (u *Users) biometricAuthenticator() api.Authenticator {
	if u.c.Platform() == "ios" {
		return api.Authenticator{ID: api.AuthenticatorIDIOSBiometric, Name: "Biometric", Type: "Biometric"}
	}
	return api.Authenticator{ID: api.AuthenticatorIDAndroidFingerprint, Name: "Fingerprint", Type: "FINGERPRINT"}
}

func (u *Users) registerAuthenticatorMethods() []api.Binding {
	ready := u.c.Started
	return []api.Binding{
		api.GetAllAuthenticators.Handle(func(ctx context.Context, p api.ProfileParams) ([]api.Authenticator, error) {
			return u.authenticators(p.ProfileID, false)
		}),
		api.GetRegisteredAuthenticators.Handle(func(ctx context.Context, p api.ProfileParams) ([]api.Authenticator, error) {
			return u.authenticators(p.ProfileID, true)
		}),
		api.RegisterAuthenticator.Handle(func(ctx context.Context, p api.AuthenticatorParams) (api.None, error) {
			if err := u.biometricID(p.AuthenticatorID); err != nil {
				return api.None{}, err
			}
			pid, err := u.AuthenticatedProfile()
			if err != nil {
				return api.None{}, err
			}
			return api.None{}, u.registerBiometric(ctx, pid)
		}),
		api.DeregisterAuthenticator.Handle(func(ctx context.Context, p api.AuthenticatorParams) (api.None, error) {
			if err := u.biometricID(p.AuthenticatorID); err != nil {
				return api.None{}, err
			}
			pid, err := u.AuthenticatedProfile()
			if err != nil {
				return api.None{}, err
			}
			return api.None{}, u.deregisterBiometric(ctx, pid)
		}),
		api.SetPreferredAuthenticator.Handle(u.setPreferred),
		api.RegisterFingerprintAuthenticator.Handle(func(ctx context.Context, p api.ProfileParams) (api.None, error) {
			return api.None{}, u.registerBiometric(ctx, p.ProfileID)
		}),
		api.DeregisterFingerprintAuthenticator.Handle(func(ctx context.Context, p api.ProfileParams) (api.None, error) {
			return api.None{}, u.deregisterBiometric(ctx, p.ProfileID)
		}),
		api.SubmitFingerprintAcceptAuthenticationRequest.Handle(u.deliverReady(ready, inFpAccept)),
		api.SubmitFingerprintDenyAuthenticationRequest.Handle(u.deliverReady(ready, inFpDeny)),
		api.SubmitFingerprintFallbackToPin.Handle(u.deliverReady(ready, inFpFallback)),
		api.ChangePin.Handle(u.changePin),
		api.ValidatePinWithPolicy.Handle(u.validatePinWithPolicy),
	}
}

func (u *Users) deliverReady(ready func() error, kind string) func(context.Context, api.None) (api.None, error) {
	return func(ctx context.Context, _ api.None) (api.None, error) {
		if err := ready(); err != nil {
			return api.None{}, err
		}
		return api.None{}, u.slot.Deliver(ctx, kind, "")
	}
}

// biometricID checks that id names this device's biometric authenticator.
func (u *Users) biometricID(id string) error {
	if err := u.c.Started(); err != nil {
		return err
	}
	if strings.EqualFold(id, api.AuthenticatorIDPin) {
		return dispatch.Errorf(dispatch.CodeBadParameters, "the PIN authenticator is always registered and cannot be registered or deregistered")
	}
	if !isBiometricID(id) || u.Biometric == nil {
		return dispatch.Errorf(dispatch.CodeAuthenticatorNotSupported, "this device offers no authenticator %q", truncate(id, 64))
	}
	return nil
}

func (u *Users) authenticators(pid string, registeredOnly bool) ([]api.Authenticator, error) {
	if err := u.c.Started(); err != nil {
		return nil, err
	}
	prof, err := u.profile(pid)
	if err != nil {
		return nil, err
	}
	up := &api.UserProfile{ID: pid}
	bioPreferred := prof.Biometric && isBiometricID(prof.Preferred)
	out := []api.Authenticator{{ID: api.AuthenticatorIDPin, Name: "PIN", Type: "PIN", IsRegistered: true, IsPreferred: !bioPreferred, UserProfile: up}}
	if u.Biometric != nil && (prof.Biometric || u.Biometric.BiometricAvailable() != device.UVNotAvailable) {
		b := u.biometricAuthenticator()
		b.IsRegistered, b.IsPreferred, b.UserProfile = prof.Biometric, bioPreferred, up
		if b.IsRegistered || !registeredOnly {
			out = append(out, b)
		}
	}
	return out, nil
}

func (u *Users) setPreferred(ctx context.Context, p api.AuthenticatorParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	pid, err := u.AuthenticatedProfile()
	if err != nil {
		return api.None{}, err
	}
	prof, err := u.profile(pid)
	if err != nil {
		return api.None{}, err
	}
	switch {
	case strings.EqualFold(p.AuthenticatorID, api.AuthenticatorIDPin):
		p.AuthenticatorID = api.AuthenticatorIDPin
	case isBiometricID(p.AuthenticatorID) && u.Biometric != nil:
		p.AuthenticatorID, _ = canonicalBiometricID(p.AuthenticatorID)
		if !prof.Biometric {
			return api.None{}, dispatch.Errorf(dispatch.CodeAuthenticatorNotRegistered, "the biometric authenticator is not registered for this profile")
		}
	default:
		return api.None{}, dispatch.Errorf(dispatch.CodeAuthenticatorNotSupported, "this device offers no such authenticator")
	}
	if _, err := u.st.UpdateProfile(pid, func(sp *store.Profile) { sp.Preferred = p.AuthenticatorID }); err != nil {
		return api.None{}, internal(err)
	}
	return api.None{}, nil
}

// registerBiometric asks for the PIN (PIN authentication events: the server
// registers authenticators only with a PIN login's token), creates the
// user-verified key and registers its public key.
func (u *Users) registerBiometric(ctx context.Context, pid string) error {
	if err := u.c.Started(); err != nil {
		return err
	}
	if u.Biometric == nil {
		return dispatch.Errorf(dispatch.CodeAuthenticatorNotSupported, "this device offers no biometric authenticator")
	}
	reg, err := u.c.Registration()
	if err != nil {
		return err
	}
	auth, err := u.AuthenticatedProfile()
	if err != nil {
		return err
	}
	if auth != pid {
		return dispatch.Errorf(dispatch.CodeNotAuthenticated, "the profile is not the authenticated one")
	}
	if _, err := u.profile(pid); err != nil {
		return err
	}
	if s := u.Biometric.BiometricAvailable(); s != "" {
		return dispatch.Errorf(dispatch.CodeBiometricFailure, "no usable strong biometric on this device (%s)", s)
	}
	f, err := u.slot.Begin(u.Timeout)
	if err != nil {
		return err
	}
	defer f.End()
	if _, err := u.pinAuth(ctx, f, reg, pid); err != nil {
		return err
	}
	alias := keys.BiometricAlias(pid)
	raw, err := u.Biometric.GenerateUserVerifiedKey(alias)
	if err != nil {
		return dispatch.Wrap(dispatch.CodeBiometricFailure, device.UserVerificationError(err), "the biometric key could not be created")
	}
	pub, err := protocol.ParsePublicKey(raw)
	if err == nil {
		var wire string
		if wire, err = protocol.EncodePublicKey(pub); err == nil {
			err = u.WithToken(ctx, func(_, tok string) error {
				return u.c.Call(ctx, "POST", protocol.PathAuthenticators, protocol.AuthenticatorRegisterRequest{ProfileID: pid, Type: protocol.AuthenticatorBiometric, PublicKey: wire}, tok, nil)
			})
		}
	}
	if err != nil {
		_ = u.Biometric.DeleteUserVerifiedKey(alias)
		return err
	}
	if _, err := u.st.UpdateProfile(pid, func(sp *store.Profile) { sp.Biometric = true }); err != nil {
		return internal(err)
	}
	return nil
}

// deregisterBiometric removes the biometric authenticator on the server and here.
func (u *Users) deregisterBiometric(ctx context.Context, pid string) error {
	if err := u.c.Started(); err != nil {
		return err
	}
	prof, err := u.profile(pid)
	if err != nil {
		return err
	}
	if !prof.Biometric {
		return dispatch.Errorf(dispatch.CodeAuthenticatorNotRegistered, "the biometric authenticator is not registered for this profile")
	}
	auth, err := u.AuthenticatedProfile()
	if err != nil {
		return err
	}
	if auth != pid {
		return dispatch.Errorf(dispatch.CodeNotAuthenticated, "the profile is not the authenticated one")
	}
	err = u.WithToken(ctx, func(_, tok string) error {
		return u.c.Call(ctx, "POST", protocol.PathAuthenticatorDeregister, protocol.AuthenticatorDeregisterRequest{ProfileID: pid, Type: protocol.AuthenticatorBiometric}, tok, nil)
	})
	if se, ok := client.AsServerError(err); ok && se.Body.Error == protocol.ErrNotFound {
		err = nil // already gone there
	}
	if err != nil {
		return err
	}
	return u.forgetBiometric(pid)
}

// forgetBiometric removes the biometric key and registration locally.
func (u *Users) forgetBiometric(pid string) error {
	if u.Biometric != nil {
		_ = u.Biometric.DeleteUserVerifiedKey(keys.BiometricAlias(pid))
	}
	if _, err := u.st.UpdateProfile(pid, func(sp *store.Profile) {
		sp.Biometric = false
		if isBiometricID(sp.Preferred) {
			sp.Preferred = ""
		}
	}); err != nil {
		return internal(err)
	}
	return nil
}

// authenticateBiometric runs the fingerprint events: startAuthentication,
// then the app accepts (prompt, challenge signed by the user-verified key,
// biometric grant), denies (9006) or falls back to the PIN events. A key
// invalidated by a change of the enrolled biometrics removes the
// authenticator (9022): the PIN still works, the biometric must be
// registered again.
func (u *Users) authenticateBiometric(ctx context.Context, f *flow.Flow, reg store.Client, pid string) (api.AuthData, error) {
	finish := func() { api.FingerprintFinishEvent.Emit(u.emit, api.FingerprintFinish{}) }
	f.Expect(inFpAccept, inFpDeny, inFpFallback, inCancelAuth)
	api.FingerprintStartEvent.Emit(u.emit, api.FingerprintStart{UserProfile: api.FingerprintProfile{ProfileID: pid}})
	in, err := f.Await(ctx, inFpAccept, inFpDeny, inFpFallback, inCancelAuth)
	f.Expect()
	if err != nil {
		finish()
		return api.AuthData{}, err
	}
	in.Reply(nil)
	switch in.Kind {
	case inFpDeny, inCancelAuth:
		finish()
		return api.AuthData{}, dispatch.Errorf(dispatch.CodeCancelled, "biometric authentication was denied")
	case inFpFallback:
		finish()
		if _, err := u.pinAuth(ctx, f, reg, pid); err != nil {
			return api.AuthData{}, err
		}
		return api.AuthData{UserProfile: api.UserProfile{ID: pid}}, nil
	}
	err = u.biometricLogin(ctx, pid)
	finish()
	if err != nil {
		return api.AuthData{}, err
	}
	return api.AuthData{UserProfile: api.UserProfile{ID: pid}}, nil
}

func (u *Users) biometricLogin(ctx context.Context, pid string) error {
	var ch protocol.ChallengeResponse
	err := u.c.Call(ctx, "POST", protocol.PathAuthenticatorChallenge, protocol.ChallengeRequest{ProfileID: pid}, "", &ch)
	if se, ok := client.AsServerError(err); ok && se.Body.Error == protocol.ErrNotFound {
		_ = u.forgetBiometric(pid)
		return dispatch.Errorf(dispatch.CodeAuthenticatorNotRegistered, "the server has no biometric authenticator for this profile")
	}
	if err != nil {
		return err
	}
	dg := protocol.ChallengeDigest(ch.Challenge, pid, u.clientID())
	var sig []byte
	for attempt := 1; ; attempt++ {
		sig, err = u.Biometric.SignWithUserVerification(keys.BiometricAlias(pid), dg[:], "Log in")
		err = device.UserVerificationError(err)
		if !errors.Is(err, device.ErrUVFailed) {
			break
		}
		if attempt >= maxBiometricAttempts {
			err = device.ErrUVLockout
			break
		}
		api.FingerprintNextAttemptEvent.Emit(u.emit, api.FingerprintNextAttempt{})
	}
	switch {
	case err == nil:
	case errors.Is(err, device.ErrUVCanceled):
		return dispatch.Errorf(dispatch.CodeCancelled, "the biometric prompt was canceled")
	case errors.Is(err, device.ErrUVKeyInvalidated):
		// Onegini's behaviour: the authenticator is gone; the user logs in
		// with the PIN and registers the biometric again. The server's key
		// is removed at the next deregistration or re-registration.
		if ferr := u.forgetBiometric(pid); ferr != nil {
			return ferr
		}
		return dispatch.Errorf(dispatch.CodeAuthenticatorDeregistered, "the enrolled biometrics changed: the biometric authenticator was removed; use the PIN and register it again")
	case errors.Is(err, device.ErrUVLockout), errors.Is(err, device.ErrUVNotAvailable):
		return dispatch.Wrap(dispatch.CodeBiometricFailure, err, "biometric authentication is not possible now; use the PIN")
	default:
		return dispatch.Wrap(dispatch.CodeBiometricFailure, err, "the biometric key store failed")
	}
	api.FingerprintCapturedEvent.Emit(u.emit, api.FingerprintCaptured{})
	var tr protocol.TokenResponse
	err = u.c.Call(ctx, "POST", protocol.PathToken, protocol.TokenRequest{GrantType: protocol.GrantBiometric, ProfileID: pid,
		Challenge: ch.Challenge, Signature: protocol.B64.EncodeToString(sig)}, "", &tr)
	if err == nil && (tr.AccessToken == "" || tr.ProfileID != pid) {
		err = dispatch.Errorf(dispatch.CodeGeneral, "the server's token answer is incomplete")
	}
	if err == nil {
		err = u.saveTokens(tr)
	}
	if dispatch.CodeOf(err) == dispatch.CodeUserDeregistered {
		_ = u.forgetProfile(pid)
	}
	return err
}

func (u *Users) clientID() string {
	reg, err := u.c.Registration()
	if err != nil {
		return ""
	}
	return reg.ClientID
}

// changePin: PIN authentication events for the current PIN (server-verified
// with the counter), then PIN creation events for the new one (local policy,
// then the server's, which verifies the current PIN again and re-keys).
func (u *Users) changePin(ctx context.Context, _ api.None) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	reg, err := u.c.Registration()
	if err != nil {
		return api.None{}, err
	}
	pid, err := u.AuthenticatedProfile()
	if err != nil {
		return api.None{}, err
	}
	f, err := u.slot.Begin(u.Timeout)
	if err != nil {
		return api.None{}, err
	}
	defer f.End()
	current, err := u.pinAuth(ctx, f, reg, pid)
	if err != nil {
		return api.None{}, err
	}
	notAllowed := func(code int, msg string) {
		api.PinNotAllowedEvent.Emit(u.emit, api.PinNotAllowed{PinLength: reg.PinLength, ErrorCode: code, ErrorMsg: msg})
	}
	closeEv := api.PinCreateClose{PinLength: reg.PinLength, ProfileID: pid}
	f.Expect(inPinCreate, inCancelCreate)
	api.PinCreateOpenEvent.Emit(u.emit, api.PinCreateOpen{PinLength: reg.PinLength, ProfileID: pid})
	for {
		in, err := f.Await(ctx, inPinCreate, inCancelCreate)
		if err != nil {
			f.Expect()
			api.PinCreateCloseEvent.Emit(u.emit, closeEv)
			return api.None{}, err
		}
		if in.Kind == inCancelCreate {
			f.Expect()
			api.PinCreateCloseEvent.Emit(u.emit, closeEv)
			in.Reply(nil)
			return api.None{}, dispatch.Errorf(dispatch.CodeCancelled, "PIN change was cancelled")
		}
		if r := CheckPinPolicy(in.Value, reg.PinLength); r != pinpolicy.OK {
			notAllowed(r.Code(), r.Message(reg.PinLength))
			in.Reply(nil)
			continue
		}
		err = u.WithToken(ctx, func(_, tok string) error {
			return u.c.Call(ctx, "POST", protocol.PathChangePin, protocol.ChangePinRequest{ProfileID: pid, Pin: current, NewPin: in.Value}, tok, nil)
		})
		if dispatch.CodeOf(err) == dispatch.CodePinNotAllowed {
			notAllowed(int(dispatch.CodePinNotAllowed), "the server does not allow this PIN")
			in.Reply(nil)
			continue
		}
		if dispatch.CodeOf(err) == dispatch.CodeUserDeregistered {
			_ = u.forgetProfile(pid)
		}
		f.Expect()
		api.PinCreateCloseEvent.Emit(u.emit, closeEv)
		in.Reply(nil)
		return api.None{}, err
	}
}

// validatePinWithPolicy checks pin against the PIN policy shared with the server.
func (u *Users) validatePinWithPolicy(_ context.Context, p api.PinParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	reg, err := u.c.Registration()
	if err != nil {
		return api.None{}, err
	}
	if r := CheckPinPolicy(p.Pin, reg.PinLength); r != pinpolicy.OK {
		return api.None{}, dispatch.Errorf(dispatch.Code(r.Code()), "%s", r.Message(reg.PinLength))
	}
	return api.None{}, nil
}
