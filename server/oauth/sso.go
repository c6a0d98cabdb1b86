package oauth

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// App-to-web single sign-on, the redeeming half (core/protocol sso.go, issue
// 17). GET PathSSORedeem?token=… spends the token in one store transaction
// (TakeSSOToken deletes it: of two concurrent redemptions one wins), then
// checks, in that transaction, that it has not expired, that the profile it
// was issued to still exists on the same client for the same user (a
// deregistered user's or device's token is dead), and that its target is
// still one of the application's sign-on targets. Only then does it start a
// browser session for the user and redirect to the stored target: the exact
// allow-listed string, never anything taken from the request. A refused token
// is spent all the same.

// ssoRefusals are the audit reasons of a refused redemption.
const (
	ssoUnknown     = "unknown_or_used"
	ssoExpired     = "expired"
	ssoGone        = "user_or_device_removed" // or the user is disabled
	ssoTargetGone  = "target_not_allowed"
	ssoBadRequest  = "malformed"
	ssoTokenLength = 43 // protocol.RandomToken(32)
)

func (h *Handler) redeemSSO(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		oauthErr(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	ip := clientip.From(r)
	q, err := url.ParseQuery(r.URL.RawQuery)
	tokens := q["token"]
	if err != nil || len(tokens) != 1 || len(tokens[0]) != ssoTokenLength {
		h.ssoRefused(w, ip, ssoBadRequest, store.SSOToken{})
		return
	}
	ctx := r.Context()
	now := h.env.NowMs()
	session := protocol.RandomToken(32)
	old := cookieSession(r)
	var tok store.SSOToken
	reason := ""
	err = h.env.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		tok, err = tx.TakeSSOToken(ctx, secrethash.Token(tokens[0]))
		if errors.Is(err, store.ErrNotFound) {
			reason = ssoUnknown
			return nil
		} else if err != nil {
			return err
		}
		if now >= tok.ExpiresAt {
			reason = ssoExpired
			return nil
		}
		p, err := tx.GetProfile(ctx, tok.ProfileID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (p.ClientID != tok.ClientID || p.UserID != tok.UserID)) {
			reason = ssoGone
			return nil
		} else if err != nil {
			return err
		}
		if u, err := tx.GetUser(ctx, tok.UserID); errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
			reason = ssoGone
			return nil
		} else if err != nil {
			return err
		}
		app, err := tx.GetApplication(ctx, tok.AppID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (app.Disabled || !slices.Contains(app.SSOTargets, tok.Target))) {
			reason = ssoTargetGone
			return nil
		} else if err != nil {
			return err
		}
		// A new session id every time (no fixation); the browser's previous
		// session ends.
		if old != "" {
			if err := tx.DeleteWebSession(ctx, secrethash.Token(old)); err != nil {
				return err
			}
		}
		return tx.CreateWebSession(ctx, store.WebSession{Hash: secrethash.Token(session), UserID: tok.UserID, CreatedAt: now,
			ExpiresAt: now + h.env.WebSessionTTL.Milliseconds()})
	})
	if err != nil {
		h.env.Log.Error().Err(err).Msg("single sign-on redemption")
		ssoPage(w, http.StatusInternalServerError, "Something went wrong. Go back to the app and try again.")
		return
	}
	if reason != "" {
		h.ssoRefused(w, ip, reason, tok)
		return
	}
	h.setSessionCookie(w, session, h.env.WebSessionTTL)
	h.env.AuditInfo(audit.SSORedeemed).Str("ip", ip).Str("client_id", tok.ClientID).Str("profile_id", tok.ProfileID).Str("user_id", tok.UserID).
		Str("target", tok.Target).Msg("single sign-on: browser signed in")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Location", tok.Target)
	w.WriteHeader(http.StatusFound)
}

// ssoRefused answers a refused redemption with a page (never a redirect).
func (h *Handler) ssoRefused(w http.ResponseWriter, ip, reason string, tok store.SSOToken) {
	h.env.Audit(audit.SSORefused).Str("ip", ip).Str("reason", reason).Str("client_id", tok.ClientID).Str("profile_id", tok.ProfileID).
		Msg("single sign-on redemption refused")
	msg := "This sign-in link is not valid or was already used. Go back to the app and try again."
	status := http.StatusBadRequest
	switch reason {
	case ssoExpired:
		msg, status = "This sign-in link has expired. Go back to the app and try again.", http.StatusGone
	case ssoGone, ssoTargetGone:
		msg, status = "This sign-in link can no longer be used.", http.StatusForbidden
	}
	ssoPage(w, status, msg)
}

var ssoErrorPage = template.Must(template.New("sso").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in link</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}.err{color:#b00020}</style></head>
<body><h1>Sign-in link</h1><p class="err" role="alert">{{.}}</p></body></html>`))

func ssoPage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	_ = ssoErrorPage.Execute(w, msg)
}
