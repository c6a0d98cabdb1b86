package oauth

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/deps"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/oauthscope"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// Handler serves the authorization endpoint and its login page.
type Handler struct{ env *deps.Env }

// New returns the handler.
func New(env *deps.Env) *Handler { return &Handler{env: env} }

// Register adds PathAuthorize, and app-to-web single sign-on's
// PathSSORedeem and PathWebSession, to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc(protocol.PathAuthorize, h.authorize)
	mux.HandleFunc(protocol.PathSSORedeem, h.redeemSSO)
	mux.HandleFunc(protocol.PathWebSession, h.session)
}

// errNoApp: the client's application was deleted.
var errNoApp = errors.New("oauth: application gone")

// maxFormBody bounds the login form.
const maxFormBody = 8 << 10

type authRequest struct {
	client    store.Client
	app       store.Application
	redirect  string
	state     string
	scope     string
	challenge string
}

func oauthErr(w http.ResponseWriter, status int, desc string) {
	httpio.WriteJSON(w, status, protocol.ErrorResponse{Error: protocol.ErrInvalidRequest, ErrorDescription: desc})
}

// parse validates the query; errors are answered here (never redirected: the
// redirect URI is not trusted until it matches the client's).
func (h *Handler) parse(w http.ResponseWriter, r *http.Request) (*authRequest, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		oauthErr(w, http.StatusBadRequest, "malformed query string")
		return nil, false
	}
	for k, v := range q {
		if len(v) != 1 {
			oauthErr(w, http.StatusBadRequest, "parameter repeated: "+k)
			return nil, false
		}
	}
	if q.Get("response_type") != "code" {
		oauthErr(w, http.StatusBadRequest, "response_type must be code")
		return nil, false
	}
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
		oauthErr(w, http.StatusBadRequest, "PKCE with code_challenge_method=S256 is required")
		return nil, false
	}
	if len(q.Get("state")) > 512 || len(q.Get("scope")) > 512 || len(q.Get("client_id")) > 128 {
		oauthErr(w, http.StatusBadRequest, "parameter too long")
		return nil, false
	}
	ar := &authRequest{redirect: q.Get("redirect_uri"), state: q.Get("state"), scope: q.Get("scope"), challenge: q.Get("code_challenge")}
	ctx := r.Context()
	err = h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if ar.client, err = tx.GetClient(ctx, q.Get("client_id")); err != nil {
			return err
		}
		ar.app, err = tx.GetApplication(ctx, ar.client.AppID)
		if errors.Is(err, store.ErrNotFound) {
			return errNoApp
		}
		return err
	})
	if errors.Is(err, errNoApp) || (err == nil && ar.app.Disabled) {
		oauthErr(w, http.StatusBadRequest, "the client's application is not available on this server")
		return nil, false
	}
	if errors.Is(err, store.ErrNotFound) {
		oauthErr(w, http.StatusBadRequest, "unknown client_id")
		return nil, false
	} else if err != nil {
		httpio.WriteJSON(w, http.StatusInternalServerError, protocol.ErrorResponse{Error: protocol.ErrServerError, ErrorDescription: "internal error"})
		return nil, false
	}
	if ar.redirect != ar.client.RedirectURI {
		oauthErr(w, http.StatusBadRequest, "redirect_uri does not match the client's")
		return nil, false
	}
	// Only scopes the server grants may be requested (issue 11, item 10). The
	// redirect URI is trusted now, so the refusal goes back to the app
	// (RFC 6749 §4.1.2.1: error=invalid_scope with the state): the SDK's
	// registration ends with an error instead of waiting for a browser that
	// shows an error page.
	if ok, bad := oauthscope.Allowed(ar.scope, h.env.Scopes); !ok {
		h.env.Log.Info().Str("client_id", ar.client.ID).Str("scope", bad).Msg("authorization refused: scope not allowed")
		redirectError(w, ar, "invalid_scope", "scope not allowed: "+bad)
		return nil, false
	}
	return ar, true
}

// redirectError sends an authorization error to the client's (matched)
// redirect URI, RFC 6749 §4.1.2.1.
func redirectError(w http.ResponseWriter, ar *authRequest, code, desc string) {
	target, err := url.Parse(ar.redirect)
	if err != nil {
		httpio.WriteJSON(w, http.StatusBadRequest, protocol.ErrorResponse{Error: code, ErrorDescription: desc})
		return
	}
	tq := target.Query()
	tq.Set("error", code)
	tq.Set("error_description", desc)
	if ar.state != "" {
		tq.Set("state", ar.state)
	}
	target.RawQuery = tq.Encode()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", target.String())
	w.WriteHeader(http.StatusFound)
}

func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		oauthErr(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	ar, ok := h.parse(w, r)
	if !ok {
		return
	}
	nonce := h.ensureNonce(w, r)
	if r.Method == http.MethodGet {
		h.page(w, r, http.StatusOK, ar, nonce, "", "")
		return
	}
	if httpio.MediaType(r) != "application/x-www-form-urlencoded" {
		oauthErr(w, http.StatusUnsupportedMediaType, "the login form must be application/x-www-form-urlencoded")
		return
	}
	body, err := httpio.ReadBody(w, r, maxFormBody)
	if errors.Is(err, httpio.ErrTooLarge) {
		oauthErr(w, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	form, perr := url.ParseQuery(string(body))
	if err != nil || perr != nil {
		oauthErr(w, http.StatusBadRequest, "malformed form body")
		return
	}
	username, password := form.Get("username"), form.Get("password")
	if !h.csrfValid(r, form.Get(csrfField), ar) {
		h.env.Log.Info().Str("client_id", ar.client.ID).Msg("login form refused: missing, stale or foreign CSRF token")
		h.page(w, r, http.StatusForbidden, ar, nonce, "", "This sign-in form has expired or did not come from this page. Please sign in again.")
		return
	}
	ip := clientip.From(r)
	ctx := r.Context()
	if form.Get(continueField) != "" {
		// "Continue as …": the browser's login session (app-to-web single
		// sign-on) stands in for the password.
		s, ok := h.sessionUser(r)
		if !ok {
			h.page(w, r, http.StatusOK, ar, nonce, "", "Your session has ended. Sign in with your password.")
			return
		}
		var u store.User
		err := h.env.Store.View(ctx, func(tx store.Tx) error {
			var err error
			u, err = tx.GetUser(ctx, s.UserID)
			return err
		})
		if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
			h.env.Audit(audit.LoginFailed).Str("ip", ip).Str("user", s.UserID).Str("client_id", ar.client.ID).Str("reason", "user_disabled").Msg("login refused: session of a disabled or removed user")
			h.page(w, r, http.StatusForbidden, ar, nonce, "", "This account is disabled. Contact the service's operator.")
			return
		} else if err != nil {
			oauthErr(w, http.StatusInternalServerError, "internal error")
			return
		}
		h.env.AuditInfo(audit.LoginSucceeded).Str("ip", ip).Str("client_id", ar.client.ID).Str("user_id", s.UserID).Str("method", "session").Msg("login succeeded")
		h.grantCode(w, r, ar, s.UserID)
		return
	}
	if username == "" || password == "" || len(username) > 128 || len(password) > 256 {
		h.page(w, r, http.StatusOK, ar, nonce, username, "Enter your user name and password.")
		return
	}
	// Limits before any argon2 work: per peer IP across user names (password
	// spraying), then per user name (guessing one password).
	if !h.env.Limits.LoginPerIP.Allow(clientip.LimitKey(ip)) {
		h.env.Audit(audit.LoginLimited).Str("ip", ip).Str("user", username).Str("client_id", ar.client.ID).Msg("login refused: too many attempts from this address")
		h.page(w, r, http.StatusTooManyRequests, ar, nonce, username, "Too many attempts. Wait a minute and try again.")
		return
	}
	if !h.env.Limits.LoginPerUser.Allow(username) {
		h.env.Audit(audit.LoginLimited).Str("ip", ip).Str("user", username).Str("client_id", ar.client.ID).Msg("login refused: too many attempts for this user")
		h.page(w, r, http.StatusTooManyRequests, ar, nonce, username, "Too many attempts. Wait a minute and try again.")
		return
	}
	var user store.User
	err = h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		user, err = tx.GetUser(ctx, username)
		return err
	})
	good := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		// An unknown user costs one verification's time and memory, through
		// the same bounded gate as a real one.
		err = h.env.Hashes.Dummy()
	case err != nil:
		oauthErr(w, http.StatusInternalServerError, "internal error")
		return
	default:
		good, err = h.env.Hashes.Verify(user.PasswordHash, password)
	}
	if errors.Is(err, secrethash.ErrBusy) {
		w.Header().Set("Retry-After", "1")
		h.page(w, r, http.StatusServiceUnavailable, ar, nonce, username, "The server is busy. Try again in a moment.")
		return
	}
	if !good {
		h.env.Audit(audit.LoginFailed).Str("ip", ip).Str("user", username).Str("client_id", ar.client.ID).Msg("login failed")
		h.page(w, r, http.StatusOK, ar, nonce, username, "Wrong user name or password.")
		return
	}
	if user.Disabled {
		// Said only after the right password (issue 16): no code is issued.
		h.env.Audit(audit.LoginFailed).Str("ip", ip).Str("user", username).Str("client_id", ar.client.ID).Str("reason", "user_disabled").Msg("login refused: user disabled")
		h.page(w, r, http.StatusForbidden, ar, nonce, username, "This account is disabled. Contact the service's operator.")
		return
	}
	h.env.AuditInfo(audit.LoginSucceeded).Str("ip", ip).Str("client_id", ar.client.ID).Str("user_id", user.ID).Msg("login succeeded")
	h.grantCode(w, r, ar, user.ID)
}

// grantCode stores an authorization code for userID and redirects to the
// client's redirect URI with it.
func (h *Handler) grantCode(w http.ResponseWriter, r *http.Request, ar *authRequest, userID string) {
	ctx := r.Context()
	code := protocol.RandomToken(32)
	ac := store.AuthCode{CodeHash: secrethash.Token(code), ClientID: ar.client.ID, UserID: userID, RedirectURI: ar.redirect,
		CodeChallenge: ar.challenge, Scope: ar.scope, ExpiresAt: h.env.Clock.Now().Add(h.env.CodeTTL).UnixMilli()}
	if err := h.env.Store.InTx(ctx, func(tx store.Tx) error { return tx.CreateAuthCode(ctx, ac) }); err != nil {
		h.env.Log.Error().Err(err).Msg("storing authorization code")
		oauthErr(w, http.StatusInternalServerError, "internal error")
		return
	}
	target, err := url.Parse(ar.redirect)
	if err != nil {
		oauthErr(w, http.StatusBadRequest, "bad redirect_uri")
		return
	}
	tq := target.Query()
	tq.Set("code", code)
	if ar.state != "" {
		tq.Set("state", ar.state)
	}
	target.RawQuery = tq.Encode()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", target.String())
	w.WriteHeader(http.StatusFound)
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1.2rem}.err{color:#b00020}</style></head>
<body><h1>Sign in</h1>
<p class="app">{{.AppName}} wants to sign you in.</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
{{if .SessionUser}}<form method="post" class="session">
<input type="hidden" name="csrf_token" value="{{.CSRF}}">
<p>You are signed in as <strong class="session-user">{{.SessionUser}}</strong>.</p>
<button type="submit" name="continue" value="1">Continue as {{.SessionUser}}</button>
</form><p>Or sign in as someone else:</p>{{end}}
<form method="post">
<input type="hidden" name="csrf_token" value="{{.CSRF}}">
<label for="username">User name</label><input id="username" name="username" autocomplete="username" value="{{.Username}}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form></body></html>`))

// continueField is the login form's "Continue as …" (browser session) button.
const continueField = "continue"

// page renders the login page naming the application that asks, with a
// CSRF token bound to ar and the browser's nonce, and the "Continue as …"
// form when the browser has a login session.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, status int, ar *authRequest, nonce, username, msg string) {
	s, ok := h.sessionUser(r)
	if !ok {
		s.UserID = ""
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	_ = loginPage.Execute(w, struct{ AppName, CSRF, Username, Error, SessionUser string }{ar.app.Name, h.csrfToken(nonce, ar), username, msg, s.UserID})
}
