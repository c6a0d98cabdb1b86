package device

import (
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/oauthscope"
	"github.com/openmobileauth/oma/server/store"
)

// The example resource endpoints under protocol.PathResources (issue 17): a
// resource server's checks in small — the DPoP proof (signature by the
// token's client key, method, URL, freshness, single use, access-token
// hash), the token (known, unexpired, of this client), the token's kind and
// its scope. A token of the wrong kind or scope answers 403
// insufficient_scope (RFC 6750 §3.1).

// resource authenticates a resource request with a token of one of kinds
// carrying scope want (empty: any scope), spending the proof.
func (h *Handler) resource(w http.ResponseWriter, r *http.Request, kinds []string, want string) *caller {
	c, de := h.authenticateKinds(r, true, kinds)
	if de == nil && want != "" && !oauthscope.Has(c.token.Scope, want) {
		de = httpio.DevErr(protocol.ErrInsufficientScope, "the access token lacks the "+want+" scope")
	}
	if de == nil {
		de = h.commit(r.Context(), jtiKey(c.client.ID, c.proof.Claims.JTI), func(store.Tx) (*httpio.DeviceError, error) { return nil, nil })
	}
	if de != nil {
		if de.Code == protocol.ErrInvalidToken && c == nil {
			// A valid token of another kind: a scope problem, not an expired token
			// (the SDK must not try to refresh it).
			if _, de2 := h.authenticateKinds(r, true, allTokenKinds); de2 == nil {
				de = httpio.DevErr(protocol.ErrInsufficientScope, "this resource does not accept this kind of token")
			}
		}
		fail(w, de)
		return nil
	}
	return c
}

var allTokenKinds = []string{store.TokenAccess, store.TokenImplicit, store.TokenDevice}

// resourceProfile: GET PathResourceProfile, a user resource: only a token of a
// PIN login (never an implicit or device token), scope openid.
func (h *Handler) resourceProfile(w http.ResponseWriter, r *http.Request) {
	c := h.resource(w, r, userTokens, oauthscope.OpenID)
	if c == nil {
		return
	}
	httpio.WriteJSON(w, http.StatusOK, map[string]string{"user_id": c.token.UserID, "profile_id": c.token.ProfileID, "scope": c.token.Scope})
}

// resourceUserID: GET PathResourceUserID, the user's id for a PIN-login
// token or an implicit token with scope read (the official example app's
// implicit resource).
func (h *Handler) resourceUserID(w http.ResponseWriter, r *http.Request) {
	c := h.resource(w, r, []string{store.TokenAccess, store.TokenImplicit}, "")
	if c == nil {
		return
	}
	if c.token.Kind == store.TokenImplicit && !oauthscope.Has(c.token.Scope, protocol.ScopeRead) {
		fail(w, httpio.DevErr(protocol.ErrInsufficientScope, "the access token lacks the read scope"))
		return
	}
	httpio.WriteJSON(w, http.StatusOK, map[string]string{"decorated_user_id": c.token.UserID})
}

// resourceDevices: GET PathResourceDevices, an anonymous resource: a device
// token with scope read; answers the calling application's details (the
// official AppDetailsResources).
func (h *Handler) resourceDevices(w http.ResponseWriter, r *http.Request) {
	c := h.resource(w, r, []string{store.TokenDevice}, protocol.ScopeRead)
	if c == nil {
		return
	}
	httpio.WriteJSON(w, http.StatusOK, map[string]string{"application_identifier": c.client.AppID,
		"application_platform": c.client.Platform, "application_version": c.client.AppVersion})
}
