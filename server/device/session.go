package device

import (
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/oauthscope"
	"github.com/openmobileauth/oma/server/store"
)

// logout: POST PathLogout with the access token revokes the profile's tokens.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, true)
	if de != nil {
		fail(w, de)
		return
	}
	de = h.commit(r.Context(), jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		return nil, tx.DeleteProfileTokens(r.Context(), c.token.ProfileID)
	})
	if de != nil {
		fail(w, de)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, map[string]string{})
}

// deregister: POST PathDeregister removes a profile of this client with its
// tokens and enrollments. Removing an already removed profile succeeds.
func (h *Handler) deregister(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.DeregisterRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if req.ProfileID == "" || len(req.ProfileID) > 128 {
		fail(w, badField("profile_id"))
		return
	}
	ctx := r.Context()
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		p, de, err := ownProfile(ctx, tx, c, req.ProfileID, true)
		if err != nil || de != nil {
			if de != nil && de.Code == protocol.ErrUserDeregistered {
				return nil, nil // already gone (or never ours): nothing to remove
			}
			return de, err
		}
		return nil, removeProfile(ctx, tx, p.ID)
	})
	if de != nil {
		fail(w, de)
		return
	}
	// This instance's enrollment cache follows at once (another instance's
	// learns from its next refused claim or answer).
	h.env.TxCache.ForgetEnrollment(req.ProfileID, c.client.ID)
	h.env.AuditInfo(audit.Deregistered).Str("client_id", c.client.ID).Str("profile_id", req.ProfileID).Msg("profile deregistered")
	httpio.WriteJSON(w, http.StatusOK, map[string]string{})
}

// userInfo: GET PathUserInfo with the access token.
func (h *Handler) userInfo(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, true)
	if de != nil {
		fail(w, de)
		return
	}
	if !oauthscope.Has(c.token.Scope, oauthscope.OpenID) {
		fail(w, httpio.DevErr(protocol.ErrInvalidToken, "the access token lacks the openid scope"))
		return
	}
	ctx := r.Context()
	var resp protocol.UserInfoResponse
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		es, err := tx.EnrollmentsOfProfile(ctx, c.token.ProfileID)
		resp = protocol.UserInfoResponse{UserID: c.token.UserID, ProfileID: c.token.ProfileID, Enrolled: len(es) > 0}
		return nil, err
	})
	if de != nil {
		fail(w, de)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, resp)
}
