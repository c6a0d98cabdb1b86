package oauth

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// The Token Server's browser login session (issue 17): started by a redeemed
// app-to-web sign-on URL (sso.go), held in an HttpOnly cookie whose value is
// 256 random bits (only its hash is stored), and honoured by the login page
// ("Continue as …", no password). GET PathWebSession tells the browser's
// own pages who is signed in; DELETE ends the session.

const sessionCookie = "oma_session"

// sessionCookiePath covers the login page, the sign-on URL and the session
// endpoint, and nothing of the device or relying-party APIs.
const sessionCookiePath = "/oauth/"

// cookieSession is the request's session cookie value ("" when absent or malformed).
func cookieSession(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 43 {
		return ""
	}
	if _, err := protocol.B64.DecodeString(c.Value); err != nil {
		return ""
	}
	return c.Value
}

// sessionUser returns the user of the request's unexpired session.
func (h *Handler) sessionUser(r *http.Request) (store.WebSession, bool) {
	v := cookieSession(r)
	if v == "" {
		return store.WebSession{}, false
	}
	ctx := r.Context()
	var s store.WebSession
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		s, err = tx.GetWebSession(ctx, secrethash.Token(v))
		return err
	})
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			h.env.Log.Error().Err(err).Msg("web session lookup")
		}
		return store.WebSession{}, false
	}
	return s, h.env.NowMs() < s.ExpiresAt
}

// setSessionCookie gives the browser session value v.
func (h *Handler) setSessionCookie(w http.ResponseWriter, v string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: v, Path: sessionCookiePath, MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: strings.HasPrefix(h.env.BaseURL, "https://"), SameSite: http.SameSiteLaxMode})
}

// session serves PathWebSession: GET answers the signed-in user, DELETE
// signs the browser out.
func (h *Handler) session(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.Method {
	case http.MethodGet:
		s, ok := h.sessionUser(r)
		if !ok {
			httpio.WriteJSON(w, http.StatusUnauthorized, protocol.ErrorResponse{Error: "no_session", ErrorDescription: "this browser is not signed in"})
			return
		}
		httpio.WriteJSON(w, http.StatusOK, map[string]any{"user_id": s.UserID, "expires_at": s.ExpiresAt})
	case http.MethodDelete:
		if v := cookieSession(r); v != "" {
			ctx := r.Context()
			if err := h.env.Store.InTx(ctx, func(tx store.Tx) error { return tx.DeleteWebSession(ctx, secrethash.Token(v)) }); err != nil {
				h.env.Log.Error().Err(err).Msg("ending a web session")
				oauthErr(w, http.StatusInternalServerError, "internal error")
				return
			}
		}
		h.setSessionCookie(w, "", -time.Second)
		httpio.WriteJSON(w, http.StatusOK, map[string]string{})
	default:
		w.Header().Set("Allow", "GET, DELETE")
		oauthErr(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}
