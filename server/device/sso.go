package device

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// App-to-web single sign-on, the issuing half (core/protocol sso.go, issue
// 17): POST PathSSO with a PIN-login access token (DPoP-bound) and a target
// URI answers a one-time URL on this server (PathSSORedeem?token=…) valid for
// env.SSOTTL. The target must be one of the client's application's sign-on
// targets, compared exactly; only the token's hash is stored, bound to the
// client, profile, user, application and target. Package oauth redeems it.

var (
	errSSOLimit      = httpio.DevErr(protocol.ErrRateLimited, "too many single sign-on requests; wait and retry")
	errSSONotAllowed = httpio.DevErr(protocol.ErrSSOTargetNotAllowed, "the target URI is not a single sign-on target of this application")
)

// sso issues a sign-on URL.
func (h *Handler) sso(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, true)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.SSORequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if u, err := url.Parse(req.TargetURI); err != nil || req.TargetURI == "" || len(req.TargetURI) > protocol.MaxSSOTargetLen || !u.IsAbs() {
		fail(w, badField("target_uri (an absolute URL of at most 2048 bytes)"))
		return
	}
	if !h.env.Limits.SSOPerProfile.Allow(c.token.ProfileID) {
		h.env.Audit(audit.SSORefused).Str("ip", c.ip).Str("profile_id", c.token.ProfileID).Str("client_id", c.client.ID).Str("reason", "rate_limited").Msg("single sign-on rate-limited")
		fail(w, errSSOLimit)
		return
	}
	ctx := r.Context()
	token := protocol.RandomToken(32)
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		p, de, err := ownProfile(ctx, tx, c, c.token.ProfileID, false)
		if err != nil || de != nil {
			return de, err
		}
		if de, err := userCheck(ctx, tx, p.UserID); err != nil || de != nil {
			return de, err
		}
		// A phone the operator cut off keeps its PIN login but must not
		// sign a browser in ("Continue as" would register a new device).
		if gone, err := removedByOperator(ctx, tx, p.ID); err != nil || gone {
			return errOperatorRemoved, err
		}
		app, err := tx.GetApplication(ctx, c.client.AppID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (app.Disabled || !slices.Contains(app.SSOTargets, req.TargetURI))) {
			return errSSONotAllowed, nil
		} else if err != nil {
			return nil, err
		}
		return nil, tx.CreateSSOToken(ctx, store.SSOToken{Hash: secrethash.Token(token), ClientID: c.client.ID, ProfileID: p.ID, UserID: p.UserID,
			AppID: app.ID, Target: req.TargetURI, ExpiresAt: h.env.Clock.Now().Add(h.env.SSOTTL).UnixMilli()})
	})
	if de != nil {
		if de == errSSONotAllowed {
			h.env.Audit(audit.SSORefused).Str("ip", c.ip).Str("profile_id", c.token.ProfileID).Str("client_id", c.client.ID).Str("reason", "target_not_allowed").Msg("single sign-on refused")
		}
		fail(w, de)
		return
	}
	h.env.AuditInfo(audit.SSOIssued).Str("ip", c.ip).Str("profile_id", c.token.ProfileID).Str("client_id", c.client.ID).Str("user_id", c.token.UserID).Msg("single sign-on URL issued")
	w.Header().Set("Cache-Control", "no-store")
	httpio.WriteJSON(w, http.StatusOK, protocol.SSOResponse{
		URL:       h.env.BaseURL + protocol.PathSSORedeem + "?" + url.Values{"token": {token}}.Encode(),
		Token:     token,
		ExpiresIn: int(h.env.SSOTTL / time.Second),
	})
}
