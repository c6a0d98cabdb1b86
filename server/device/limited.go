package device

import (
	"context"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/oauthscope"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// Limited tokens (issue 17): device authentication (client credentials) and
// implicit user authentication. Both issue only an access token, DPoP-bound to
// the calling client's key like every token here (authenticate checks the
// proof's key is the token's client), never a refresh token, and only the
// server's configured limited scopes: a user's full scope needs the PIN.

// limitedScope checks a requested scope list against allowed; an empty
// request asks for all of allowed.
func limitedScope(requested string, allowed []string) (string, *httpio.DeviceError) {
	if strings.TrimSpace(requested) == "" {
		return strings.Join(allowed, " "), nil
	}
	if ok, bad := oauthscope.Allowed(requested, allowed); !ok {
		return "", httpio.DevErr(protocol.ErrInvalidScope, "scope not allowed for this grant: "+bad)
	}
	return strings.Join(strings.Fields(requested), " "), nil
}

// issueLimited stores one access token of kind for the client (and profile p
// when not nil).
func (h *Handler) issueLimited(ctx context.Context, tx store.Tx, c *caller, kind string, p *store.Profile, scope string) (*protocol.TokenResponse, error) {
	access := protocol.RandomToken(32)
	t := store.Token{Hash: secrethash.Token(access), Kind: kind, ClientID: c.client.ID, Scope: scope, Family: protocol.RandomToken(16),
		ExpiresAt: h.env.Clock.Now().Add(h.env.AccessTTL).UnixMilli()}
	resp := &protocol.TokenResponse{AccessToken: access, TokenType: protocol.AuthSchemeDPoP, ExpiresIn: int(h.env.AccessTTL / time.Second), Scope: scope}
	if p != nil {
		// A disabled user's profile gets no implicit token either.
		if err := refuseDisabled(ctx, tx, p.UserID); err != nil {
			return nil, err
		}
		t.ProfileID, t.UserID = p.ID, p.UserID
		resp.ProfileID = p.ID
	}
	return resp, tx.CreateToken(ctx, t)
}

// clientCredentialsGrant: device authentication of the registered client.
func (h *Handler) clientCredentialsGrant(ctx context.Context, c *caller, req *protocol.TokenRequest) (*protocol.TokenResponse, *httpio.DeviceError) {
	scope, de := limitedScope(req.Scope, h.env.DeviceScopes)
	if de != nil {
		return nil, h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(store.Tx) (*httpio.DeviceError, error) { return de, nil })
	}
	var resp *protocol.TokenResponse
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		var err error
		resp, err = h.issueLimited(ctx, tx, c, store.TokenDevice, nil, scope)
		return nil, err
	})
	return resp, de
}

// implicitGrant: a PIN-less token of a profile registered on this client.
func (h *Handler) implicitGrant(ctx context.Context, c *caller, req *protocol.TokenRequest) (*protocol.TokenResponse, *httpio.DeviceError) {
	scope, de := limitedScope(req.Scope, h.env.ImplicitScopes)
	if de != nil {
		return nil, h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(store.Tx) (*httpio.DeviceError, error) { return de, nil })
	}
	var resp *protocol.TokenResponse
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		p, de, err := ownProfile(ctx, tx, c, req.ProfileID, true)
		if err != nil || de != nil {
			return de, err
		}
		resp, err = h.issueLimited(ctx, tx, c, store.TokenImplicit, &p, scope)
		return nil, err
	})
	return resp, de
}
