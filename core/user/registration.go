package user

import (
	"context"
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"net/url"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// DefaultScopes are requested when registerUser gets no scopes.
var DefaultScopes = []string{"openid"}

// registerUser runs the whole registration: browser URL out, callback in, PIN
// creation, token exchange. It settles when the profile exists (or the flow
// failed or was cancelled).
func (u *Users) registerUser(ctx context.Context, p api.RegisterUserParams) (api.AuthData, error) {
	reg, err := u.c.Registration()
	if err != nil {
		return api.AuthData{}, err
	}
	base, _ := u.c.BaseURL()
	var idp string
	if p.IdentityProviderID != nil {
		idp = *p.IdentityProviderID
	}
	scopes := p.Scopes
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	for _, s := range scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n") {
			return api.AuthData{}, dispatch.Errorf(dispatch.CodeBadParameters, "scopes must be non-empty words without spaces")
		}
	}
	kind := protocol.IdPTypeBrowser
	if idp != "" {
		if kind, err = u.kindOf(ctx, idp); err != nil {
			return api.AuthData{}, err
		}
	}
	f, err := u.slot.Begin(u.Timeout)
	if err != nil {
		return api.AuthData{}, err
	}
	defer f.End()
	if kind == protocol.IdPTypeCustom {
		return u.customRegistration(ctx, f, idp, scopes)
	}

	verifier, challenge := protocol.NewPKCE()
	state := protocol.RandomToken(16)
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {reg.ClientID},
		"redirect_uri":          {reg.RedirectURI},
		"scope":                 {strings.Join(scopes, " ")},
		"state":                 {state},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
	}
	if idp != "" {
		q.Set("idp", idp)
	}
	f.Expect(inCallback, inCancelBrowser)
	api.RegistrationURLEvent.Emit(u.emit, api.RegistrationURL{URL: base + protocol.PathAuthorize + "?" + q.Encode()})

	code, err := u.awaitCallback(ctx, f, reg, state)
	if err != nil {
		return api.AuthData{}, err
	}
	return u.createPin(ctx, f, reg, code, verifier)
}

// awaitCallback waits for handleRegistrationCallback with the redirect URI.
// A URI that is not this registration's redirect (other target, wrong state,
// no code) is refused with 8009 and the flow keeps waiting.
func (u *Users) awaitCallback(ctx context.Context, f *flow.Flow, reg store.Client, state string) (string, error) {
	for {
		in, err := f.Await(ctx, inCallback, inCancelBrowser)
		if err != nil {
			return "", err
		}
		if in.Kind == inCancelBrowser {
			in.Reply(nil)
			return "", dispatch.Errorf(dispatch.CodeCancelled, "the browser registration was cancelled")
		}
		cb, err := url.Parse(in.Value)
		want, _ := url.Parse(reg.RedirectURI)
		if err != nil || want == nil || cb.Scheme != want.Scheme || cb.Host != want.Host || cb.Path != want.Path {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "the callback URI is not this app's redirect URI"))
			continue
		}
		p := cb.Query()
		if p.Get("state") != state {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "the callback URI does not belong to the running registration"))
			continue
		}
		if e := p.Get("error"); e != "" {
			in.Reply(nil)
			if e == "access_denied" {
				return "", dispatch.Errorf(dispatch.CodeCancelled, "the user cancelled the login")
			}
			return "", dispatch.Errorf(dispatch.CodeGeneral, "the login failed: %s", truncate(e, 64))
		}
		code := p.Get("code")
		if code == "" {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "the callback URI carries no authorization code"))
			continue
		}
		in.Reply(nil)
		return code, nil
	}
}

// createPin asks for a new PIN until one passes the local policy and the
// server, then exchanges the code for tokens and stores the new profile.
func (u *Users) createPin(ctx context.Context, f *flow.Flow, reg store.Client, code, verifier string) (api.AuthData, error) {
	notAllowed := func(code int, msg string) {
		api.PinNotAllowedEvent.Emit(u.emit, api.PinNotAllowed{PinLength: reg.PinLength, ErrorCode: code, ErrorMsg: msg})
	}
	closeEv := api.PinCreateClose{PinLength: reg.PinLength}
	f.Expect(inPinCreate, inCancelCreate)
	api.PinCreateOpenEvent.Emit(u.emit, api.PinCreateOpen{PinLength: reg.PinLength})
	for {
		in, err := f.Await(ctx, inPinCreate, inCancelCreate)
		if err != nil {
			f.Expect()
			api.PinCreateCloseEvent.Emit(u.emit, closeEv)
			return api.AuthData{}, err
		}
		if in.Kind == inCancelCreate {
			f.Expect()
			api.PinCreateCloseEvent.Emit(u.emit, closeEv)
			in.Reply(nil)
			return api.AuthData{}, dispatch.Errorf(dispatch.CodeCancelled, "PIN creation was cancelled")
		}
		if r := CheckPinPolicy(in.Value, reg.PinLength); r != pinpolicy.OK {
			notAllowed(r.Code(), r.Message(reg.PinLength))
			in.Reply(nil)
			continue
		}
		var tr protocol.TokenResponse
		err = u.c.Call(ctx, "POST", protocol.PathToken, protocol.TokenRequest{
			GrantType: protocol.GrantAuthorizationCode, Code: code, CodeVerifier: verifier,
			RedirectURI: reg.RedirectURI, Pin: in.Value,
		}, "", &tr)
		if dispatch.CodeOf(err) == dispatch.CodePinNotAllowed {
			notAllowed(int(dispatch.CodePinNotAllowed), "the server does not allow this PIN")
			in.Reply(nil)
			continue
		}
		if err == nil && (tr.ProfileID == "" || tr.AccessToken == "") {
			err = dispatch.Errorf(dispatch.CodeGeneral, "the server's token answer is incomplete")
		}
		if err == nil {
			err = u.st.PutProfile(store.Profile{ID: tr.ProfileID, UserID: tr.UserID})
			if err == nil {
				err = u.saveTokens(tr)
			} else {
				err = internal(err)
			}
			if err != nil {
				// The device cannot keep the registration: do not leave it
				// orphaned on the server (best effort).
				_ = u.c.Call(ctx, "POST", protocol.PathDeregister, protocol.DeregisterRequest{ProfileID: tr.ProfileID}, "", nil)
				_ = u.st.DeleteProfile(tr.ProfileID)
			}
		}
		closeEv.ProfileID = tr.ProfileID
		f.Expect()
		api.PinCreateCloseEvent.Emit(u.emit, closeEv)
		in.Reply(nil)
		if err != nil {
			return api.AuthData{}, err
		}
		return api.AuthData{UserProfile: api.UserProfile{ID: tr.ProfileID}}, nil
	}
}

func (u *Users) handleRegistrationCallback(ctx context.Context, p api.HandleRegistrationCallbackParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	return api.None{}, u.slot.Deliver(ctx, inCallback, p.URI)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
