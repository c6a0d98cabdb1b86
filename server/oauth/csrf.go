package oauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
)

// The login form's CSRF protection (DESIGN §10): the GET of the login page
// sets a random browser cookie and puts into the form a token that is a MAC,
// under the server's login key, over the time, that cookie and every
// parameter of the authorization request (client, redirect URI, state, PKCE
// challenge, scope). The POST is accepted only with a fresh token that
// matches its own request and cookie: a forged POST carries no token, or one
// of another request or another browser.

const (
	csrfCookie = "oma_login"
	csrfField  = "csrf_token"
	csrfMaxAge = 15 * time.Minute
)

func (h *Handler) csrfMAC(ts int64, nonce string, ar *authRequest) []byte {
	m := hmac.New(sha256.New, h.env.LoginKey)
	for _, p := range []string{"oma-login-csrf-v1", strconv.FormatInt(ts, 10), nonce, ar.client.ID, ar.redirect, ar.state, ar.challenge, ar.scope} {
		m.Write([]byte(strconv.Itoa(len(p))))
		m.Write([]byte{':'})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// csrfToken returns the form token for ar and the browser's nonce.
func (h *Handler) csrfToken(nonce string, ar *authRequest) string {
	ts := h.env.Wall.Now().Unix()
	return strconv.FormatInt(ts, 10) + "." + protocol.B64.EncodeToString(h.csrfMAC(ts, nonce, ar))
}

// csrfValid checks the posted token against ar and the request's cookie.
func (h *Handler) csrfValid(r *http.Request, token string, ar *authRequest) bool {
	nonce := browserNonce(r)
	tsText, macText, ok := strings.Cut(token, ".")
	if nonce == "" || !ok {
		return false
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return false
	}
	age := h.env.Wall.Now().Sub(time.Unix(ts, 0))
	if age < -time.Minute || age > csrfMaxAge {
		return false
	}
	mac, err := protocol.B64.DecodeString(macText)
	return err == nil && subtle.ConstantTimeCompare(mac, h.csrfMAC(ts, nonce, ar)) == 1
}

// browserNonce is the request's login cookie ("" when absent or malformed).
func browserNonce(r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	if err != nil || len(c.Value) != 22 {
		return ""
	}
	if _, err := protocol.B64.DecodeString(c.Value); err != nil {
		return ""
	}
	return c.Value
}

// ensureNonce returns the browser's login cookie, setting a new one when
// the request has none.
func (h *Handler) ensureNonce(w http.ResponseWriter, r *http.Request) string {
	if n := browserNonce(r); n != "" {
		return n
	}
	n := protocol.RandomToken(16)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: n, Path: protocol.PathAuthorize, MaxAge: int(csrfMaxAge / time.Second),
		HttpOnly: true, Secure: strings.HasPrefix(h.env.BaseURL, "https://"), SameSite: http.SameSiteLaxMode})
	return n
}
