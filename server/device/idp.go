package device

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/idp"
	"github.com/openmobileauth/oma/server/oauthscope"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// Identity providers and custom registration (protocol/idp.go, issue 17).

// customRegTTL bounds the time between init and complete (the user reads a
// letter and types its code).
const customRegTTL = 10 * time.Minute

// maxCustomData bounds what the app submits at either step.
const maxCustomData = 4096

var (
	errNoIdP      = httpio.DevErr(protocol.ErrInvalidIdentityProvider, "no such custom identity provider for this application")
	errRegExpired = httpio.DevErr(protocol.ErrCustomRegExpired, "unknown, used or expired custom registration")
	errRegFailed  = httpio.DevErr(protocol.ErrCustomRegFailed, "the identity provider did not register the user")
	errAppGone    = httpio.DevErr(protocol.ErrInvalidClient, "the client's application is not available on this server")
)

func (h *Handler) idpCaller() *idp.Caller {
	h.idpOnce.Do(func() {
		hc := h.env.IdPClient
		if hc == nil {
			hc = idp.NewHTTPClient()
		}
		h.idp = &idp.Caller{HTTP: hc, Now: h.env.Wall.Now, NewID: func() string { return protocol.RandomToken(16) }}
	})
	return h.idp
}

// identityProviders: GET PathIdentityProviders, the caller's application's
// identity providers; the built-in browser one first unless the application
// configures a browser identity provider itself.
func (h *Handler) identityProviders(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	ctx := r.Context()
	var list []store.IdentityProvider
	if err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		list, err = tx.ListIdentityProviders(ctx, c.client.AppID)
		return err
	}); err != nil {
		h.env.Log.Error().Err(err).Msg("identity provider list")
		fail(w, errInternal)
		return
	}
	out := protocol.IdentityProvidersResponse{IdentityProviders: []protocol.IdentityProvider{}}
	hasBrowser := false
	for _, p := range list {
		hasBrowser = hasBrowser || p.Kind == protocol.IdPTypeBrowser
		out.IdentityProviders = append(out.IdentityProviders, protocol.IdentityProvider{ID: p.ID, Name: p.Name, Type: p.Kind})
	}
	if !hasBrowser {
		out.IdentityProviders = append([]protocol.IdentityProvider{{ID: protocol.BrowserIdPID, Name: "Browser", Type: protocol.IdPTypeBrowser}}, out.IdentityProviders...)
	}
	httpio.WriteJSON(w, http.StatusOK, out)
}

// customIdP returns the caller's application's custom identity provider id:
// an identity provider of another application is not found.
func (h *Handler) customIdP(ctx context.Context, c *caller, id string) (store.IdentityProvider, *httpio.DeviceError) {
	var p store.IdentityProvider
	var app store.Application
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if app, err = tx.GetApplication(ctx, c.client.AppID); err != nil {
			return err
		}
		p, err = tx.GetIdentityProvider(ctx, c.client.AppID, id)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound) && app.ID == "":
		return p, errAppGone
	case errors.Is(err, store.ErrNotFound):
		return p, errNoIdP
	case err != nil:
		h.env.Log.Error().Err(err).Msg("identity provider lookup")
		return p, errInternal
	case app.Disabled:
		return p, errAppGone
	case p.Kind != protocol.IdPTypeCustom || p.AppID != c.client.AppID:
		return p, errNoIdP
	}
	// The webhook key is stored sealed under the master key (server/atrest).
	if p.WebhookKey, err = h.env.Keys.Open(atrest.PurposeWebhookKey, atrest.WebhookRow(p.AppID, p.ID), p.WebhookKey); err != nil {
		h.env.Log.Error().Err(err).Str("identity_provider", p.ID).Msg("identity provider webhook key does not open")
		return p, errInternal
	}
	return p, nil
}

// backendErr maps a failed webhook call; the reason is logged, the app
// learns only that the registration failed.
func (h *Handler) backendErr(c *caller, p store.IdentityProvider, step string, err error) *httpio.DeviceError {
	ev := h.env.Log.Warn()
	if errors.Is(err, idp.ErrRefused) {
		ev = h.env.Log.Info()
	}
	ev.Str("client_id", c.client.ID).Str("idp", p.ID).Str("step", step).Str("reason", err.Error()).Msg("custom registration not completed")
	if errors.Is(err, idp.ErrUnreachable) {
		return &httpio.DeviceError{Code: protocol.ErrServerError, Description: "the identity provider's backend is not available", Status: http.StatusBadGateway}
	}
	return errRegFailed
}

// customInit: POST PathCustomRegistrationInit.
func (h *Handler) customInit(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.CustomRegistrationInitRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if req.IdentityProviderID == "" || len(req.IdentityProviderID) > 64 || len(req.CodeChallenge) != 43 || len(req.Scope) > 512 ||
		(req.Data != nil && len(*req.Data) > maxCustomData) {
		fail(w, badField("identity_provider_id, code_challenge, scope or data"))
		return
	}
	if ok, bad := oauthscope.Allowed(req.Scope, h.env.Scopes); !ok {
		fail(w, httpio.DevErr("invalid_scope", "scope not allowed: "+bad))
		return
	}
	if !h.env.Limits.LoginPerIP.Allow(clientip.LimitKey(c.ip)) {
		fail(w, httpio.DevErr(protocol.ErrRateLimited, "too many registration attempts; wait and retry"))
		return
	}
	ctx := r.Context()
	p, de := h.customIdP(ctx, c, req.IdentityProviderID)
	if de != nil {
		fail(w, de)
		return
	}
	ref := protocol.RandomToken(16)
	ans, err := h.idpCaller().Call(ctx, p.URL, p.ID, p.WebhookKey, idp.Request{Step: idp.StepInit, IdentityProviderID: p.ID,
		ApplicationID: p.AppID, ClientID: c.client.ID, RegistrationID: ref, Data: req.Data})
	if err != nil {
		fail(w, h.backendErr(c, p, idp.StepInit, err))
		return
	}
	session := protocol.RandomToken(32)
	cr := store.CustomRegistration{SessionHash: secrethash.Token(session), ClientID: c.client.ID, AppID: p.AppID, IdPID: p.ID, Scope: req.Scope,
		CodeChallenge: req.CodeChallenge, BackendRef: ref, ExpiresAt: h.env.Clock.Now().Add(customRegTTL).UnixMilli()}
	if de := h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		return nil, tx.CreateCustomRegistration(ctx, cr)
	}); de != nil {
		fail(w, de)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, protocol.CustomRegistrationInitResponse{Session: session, Status: ans.Status, Data: ans.Data, ExpiresIn: int(customRegTTL / time.Second)})
}

// customComplete: POST PathCustomRegistrationComplete. The session is spent
// first (single use, whatever the backend answers); a user the backend
// names is created when new; the answer is an authorization code for the
// client's redirect URI and the init's PKCE challenge.
func (h *Handler) customComplete(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.CustomRegistrationCompleteRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if req.Session == "" || len(req.Session) > 128 || len(req.Data) > maxCustomData {
		fail(w, badField("session or data"))
		return
	}
	ctx := r.Context()
	var cr store.CustomRegistration
	if de := h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		var err error
		cr, err = tx.TakeCustomRegistration(ctx, secrethash.Token(req.Session))
		if errors.Is(err, store.ErrNotFound) {
			return errRegExpired, nil
		}
		if err == nil && (cr.ClientID != c.client.ID || h.env.NowMs() >= cr.ExpiresAt) {
			return errRegExpired, nil
		}
		return nil, err
	}); de != nil {
		fail(w, de)
		return
	}
	p, de := h.customIdP(ctx, c, cr.IdPID)
	if de != nil {
		fail(w, de)
		return
	}
	data := req.Data
	ans, err := h.idpCaller().Call(ctx, p.URL, p.ID, p.WebhookKey, idp.Request{Step: idp.StepComplete, IdentityProviderID: p.ID,
		ApplicationID: p.AppID, ClientID: c.client.ID, RegistrationID: cr.BackendRef, Data: &data})
	if err != nil {
		fail(w, h.backendErr(c, p, idp.StepComplete, err))
		return
	}
	code := protocol.RandomToken(32)
	ac := store.AuthCode{CodeHash: secrethash.Token(code), ClientID: c.client.ID, UserID: ans.UserID, RedirectURI: c.client.RedirectURI,
		CodeChallenge: cr.CodeChallenge, Scope: cr.Scope, ExpiresAt: h.env.Clock.Now().Add(h.env.CodeTTL).UnixMilli()}
	if err := h.env.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, ans.UserID); errors.Is(err, store.ErrNotFound) {
			// A user known only to the backend: no password (the login page
			// never accepts it), registered through this identity provider.
			if err := tx.CreateUser(ctx, store.User{ID: ans.UserID, CreatedAt: h.env.NowMs()}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		return tx.CreateAuthCode(ctx, ac)
	}); err != nil {
		h.env.Log.Error().Err(err).Msg("custom registration code")
		fail(w, errInternal)
		return
	}
	h.env.AuditInfo(audit.LoginSucceeded).Str("ip", c.ip).Str("client_id", c.client.ID).Str("user_id", ans.UserID).Str("idp", p.ID).Msg("custom registration succeeded")
	httpio.WriteJSON(w, http.StatusOK, protocol.CustomRegistrationCompleteResponse{Code: code, Status: ans.Status, Data: ans.Data})
}
