package user

import (
	"context"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/protocol"
)

// Custom registration (issue 17): the two-step exchange of a custom identity
// provider as the official SDK runs it. initRegistration → the app answers
// submitCustomRegistrationAction(idp, token|null) → the server's init (the
// operator's backend answers customInfo) → finishRegistration with it → the
// app answers with the user's input → the server's complete gives an
// authorization code → PIN creation as after the browser.

const (
	inCustomAction = "custom:action"
	inCancelCustom = "cancel:custom"
	// nullToken marks a submitted null token (a Value is a string).
	nullToken = "\x00null"
)

// identityProviders asks the server for the application's identity providers.
func (u *Users) identityProviders(ctx context.Context) ([]protocol.IdentityProvider, error) {
	var out protocol.IdentityProvidersResponse
	if err := u.c.Call(ctx, "GET", protocol.PathIdentityProviders, nil, "", &out); err != nil {
		return nil, err
	}
	return out.IdentityProviders, nil
}

func (u *Users) getIdentityProviders(ctx context.Context, _ api.None) ([]api.IdentityProvider, error) {
	if err := u.c.Started(); err != nil {
		return nil, err
	}
	list, err := u.identityProviders(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.IdentityProvider, 0, len(list))
	for _, p := range list {
		out = append(out, api.IdentityProvider{ID: p.ID, Name: p.Name})
	}
	return out, nil
}

func (u *Users) submitCustomRegistrationAction(ctx context.Context, p api.SubmitCustomRegistrationActionParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	v := nullToken
	if p.Token != nil {
		v = *p.Token
	}
	u.customMu.Lock()
	running := u.customIdP
	u.customMu.Unlock()
	if running != "" && running != p.IdentityProviderID {
		return api.None{}, dispatch.Errorf(dispatch.CodeBadParameters, "identityProviderId is not the running custom registration's")
	}
	return api.None{}, u.slot.Deliver(ctx, inCustomAction, v)
}

func (u *Users) cancelCustomRegistration(ctx context.Context, _ api.CancelCustomRegistrationParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	return api.None{}, u.slot.Deliver(ctx, inCancelCustom, "")
}

// kindOf returns the type of identity provider id of this application.
func (u *Users) kindOf(ctx context.Context, id string) (string, error) {
	list, err := u.identityProviders(ctx)
	if err != nil {
		return "", err
	}
	for _, p := range list {
		if p.ID == id {
			return p.Type, nil
		}
	}
	return "", dispatch.Errorf(dispatch.CodeInvalidIdentityProvider, "no identity provider %q for this application", truncate(id, 64))
}

// customRegistration runs a custom identity provider's registration inside
// flow f (begun by registerUser).
func (u *Users) customRegistration(ctx context.Context, f *flow.Flow, idp string, scopes []string) (api.AuthData, error) {
	reg, err := u.c.Registration()
	if err != nil {
		return api.AuthData{}, err
	}
	u.customMu.Lock()
	u.customIdP = idp
	u.customMu.Unlock()
	defer func() {
		u.customMu.Lock()
		u.customIdP = ""
		u.customMu.Unlock()
	}()
	await := func() (string, *string, error) {
		in, err := f.Await(ctx, inCustomAction, inCancelCustom)
		if err != nil {
			return "", nil, err
		}
		if in.Kind == inCancelCustom {
			in.Reply(nil)
			return "", nil, dispatch.Errorf(dispatch.CodeCancelled, "the custom registration was cancelled")
		}
		in.Reply(nil)
		if in.Value == nullToken {
			return in.Kind, nil, nil
		}
		v := in.Value
		return in.Kind, &v, nil
	}
	f.Expect(inCustomAction, inCancelCustom)
	api.CustomRegistrationInitEvent.Emit(u.emit, api.CustomRegistrationInit{IdentityProviderID: idp})
	_, token, err := await()
	if err != nil {
		return api.AuthData{}, err
	}
	verifier, challenge := protocol.NewPKCE()
	var ir protocol.CustomRegistrationInitResponse
	if err := u.c.Call(ctx, "POST", protocol.PathCustomRegistrationInit, protocol.CustomRegistrationInitRequest{
		IdentityProviderID: idp, Scope: strings.Join(scopes, " "), CodeChallenge: challenge, Data: token}, "", &ir); err != nil {
		return api.AuthData{}, err
	}
	f.Expect(inCustomAction, inCancelCustom)
	api.CustomRegistrationFinishEvent.Emit(u.emit, api.CustomRegistrationFinish{IdentityProviderID: idp, CustomInfo: &api.CustomInfo{Status: ir.Status, Data: ir.Data}})
	_, input, err := await()
	if err != nil {
		return api.AuthData{}, err
	}
	data := ""
	if input != nil {
		data = *input
	}
	var cr protocol.CustomRegistrationCompleteResponse
	if err := u.c.Call(ctx, "POST", protocol.PathCustomRegistrationComplete, protocol.CustomRegistrationCompleteRequest{Session: ir.Session, Data: data}, "", &cr); err != nil {
		return api.AuthData{}, err
	}
	if cr.Code == "" {
		return api.AuthData{}, dispatch.Errorf(dispatch.CodeGeneral, "the server's custom registration answer carries no code")
	}
	ad, err := u.createPin(ctx, f, reg, cr.Code, verifier)
	if err == nil {
		ad.CustomInfo = &api.CustomInfo{Status: cr.Status, Data: cr.Data}
	}
	return ad, err
}
