package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/openapi"
	"github.com/openmobileauth/oma/server/store"
)

// The admin REST API (DESIGN §15) on the admin listener: bearer admin tokens
// created by `tokenserver admin-token create` and stored hashed; a read token
// may only GET, a write token may change. Every change is an audit record
// naming the token. The OpenAPI document is server/openapi/admin.yaml,
// served at /admin/openapi.yaml.

// Admin token scopes.
const (
	AdminScopeRead  = "read"
	AdminScopeWrite = "write"
)

// adminTokenPrefix starts every admin token (recognisable in a leak scan).
const adminTokenPrefix = "oma_adm_"

// Stable error strings of the admin API ({"error": ..., "error_description": ...}).
const (
	adminErrUnauthorized = "unauthorized"    // 401: no, unknown or revoked token
	adminErrForbidden    = "forbidden"       // 403: a read token asked for a change
	adminErrInvalid      = "invalid_request" // 400
	adminErrNotFound     = "not_found"       // 404
	adminErrConflict     = "conflict"        // 409
	adminErrInternal     = "server_error"    // 500
)

func hashAdminToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// CreateAdminToken creates a bearer token of the admin API called name with
// scope read or write and returns it; only its hash is stored.
func (a *Admin) CreateAdminToken(ctx context.Context, name, scope string) (string, error) {
	if name == "" || len(name) > 64 || strings.ContainsAny(name, " \t\n") {
		return "", errors.New("admin token name must be 1..64 characters without spaces")
	}
	if scope != AdminScopeRead && scope != AdminScopeWrite {
		return "", fmt.Errorf("admin token scope must be %s or %s", AdminScopeRead, AdminScopeWrite)
	}
	tok := adminTokenPrefix + protocol.RandomToken(32)
	err := store.CreateAdminToken(ctx, a.Store, store.AdminToken{Hash: hashAdminToken(tok), Name: name, Scope: scope, CreatedAt: time.Now().UnixMilli()})
	if errors.Is(err, store.ErrConflict) {
		return "", fmt.Errorf("an admin token called %q exists (revoke it first)", name)
	}
	return tok, err
}

// ListAdminTokens lists the admin tokens (names and scopes).
func (a *Admin) ListAdminTokens(ctx context.Context) ([]store.AdminToken, error) {
	return store.ListAdminTokens(ctx, a.Store)
}

// RevokeAdminToken deletes the admin token called name.
func (a *Admin) RevokeAdminToken(ctx context.Context, name string) error {
	return store.DeleteAdminToken(ctx, a.Store, name)
}

type adminAPI struct {
	s *Server
}

type adminCtxKey struct{}

// registerAdminAPI mounts the admin API on the admin listener's mux.
func (s *Server) registerAdminAPI(mux *http.ServeMux) {
	h := &adminAPI{s: s}
	mux.Handle("GET /admin/openapi.yaml", openapi.AdminHandler())
	route := func(pattern string, fn func(http.ResponseWriter, *http.Request, store.AdminToken)) {
		mux.Handle(pattern, h.auth(fn))
	}
	route("GET /admin/v1/api-clients", h.listAPIClients)
	route("POST /admin/v1/api-clients", h.createAPIClient)
	route("POST /admin/v1/api-clients/{id}/rotate-secret", h.rotateSecret)
	route("POST /admin/v1/api-clients/{id}/rotate-callback-key", h.rotateCallbackKey)
	route("POST /admin/v1/api-clients/{id}/callback-uris", h.addCallbackURIs)
	route("POST /admin/v1/api-clients/{id}/disable", h.setAPIClient(true))
	route("POST /admin/v1/api-clients/{id}/enable", h.setAPIClient(false))
	route("DELETE /admin/v1/api-clients/{id}", h.deleteAPIClient)
	route("GET /admin/v1/applications", h.listApplications)
	route("POST /admin/v1/applications", h.createApplication)
	route("POST /admin/v1/applications/{id}/disable", h.setApplication(false))
	route("POST /admin/v1/applications/{id}/enable", h.setApplication(true))
	route("PUT /admin/v1/applications/{id}/sso-targets", h.putSSOTargets)
	route("DELETE /admin/v1/applications/{id}", h.deleteApplication)
	route("GET /admin/v1/otp-types", h.listOTPTypes)
	route("PUT /admin/v1/otp-types/{name}", h.putOTPType)
	route("POST /admin/v1/otp-types/{name}/disable", h.setOTPType(true))
	route("POST /admin/v1/otp-types/{name}/enable", h.setOTPType(false))
	route("DELETE /admin/v1/otp-types/{name}", h.deleteOTPType)
	route("GET /admin/v1/users", h.listUsers)
	route("POST /admin/v1/users", h.createUser)
	route("GET /admin/v1/users/{id}/enrollments", h.listEnrollments)
	route("POST /admin/v1/users/{id}/disable", h.setUserDisabled(true))
	route("POST /admin/v1/users/{id}/enable", h.setUserDisabled(false))
	route("POST /admin/v1/users/{id}/unlock", h.unlockUser)
	route("DELETE /admin/v1/users/{id}", h.deleteUser)
	route("POST /admin/v1/users/{id}/reset-devices", h.resetDevices)
	route("DELETE /admin/v1/users/{id}/enrollments/{enrollment}", h.revokeEnrollment)
	route("GET /admin/v1/users/{id}/suspension", h.getSuspension)
	route("DELETE /admin/v1/users/{id}/suspension", h.liftSuspension)
	route("GET /admin/v1/suspensions", h.listSuspensions)
	route("GET /admin/v1/policy", h.getPolicy)
	route("PUT /admin/v1/policy", h.putPolicy)
}

func adminError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="oma-admin"`)
	}
	httpio.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// auth checks the bearer token and its scope (a read token may only GET).
func (h *adminAPI) auth(fn func(http.ResponseWriter, *http.Request, store.AdminToken)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !strings.HasPrefix(tok, adminTokenPrefix) || len(tok) > 128 {
			adminError(w, http.StatusUnauthorized, adminErrUnauthorized, "a bearer admin token is required")
			return
		}
		t, err := store.AdminTokenByHash(r.Context(), h.s.st, hashAdminToken(tok))
		if errors.Is(err, store.ErrNotFound) {
			adminError(w, http.StatusUnauthorized, adminErrUnauthorized, "unknown or revoked admin token")
			return
		} else if err != nil {
			h.s.log.Error().Err(err).Msg("admin API: reading the token")
			adminError(w, http.StatusInternalServerError, adminErrInternal, "internal error")
			return
		}
		if r.Method != http.MethodGet && t.Scope != AdminScopeWrite {
			adminError(w, http.StatusForbidden, adminErrForbidden, "this admin token may only read")
			return
		}
		fn(w, r, t)
	})
}

// done answers a change: the audit record, then status and v, or the error
// mapped to 404/409/400.
func (h *adminAPI) done(w http.ResponseWriter, t store.AdminToken, action, target string, err error, status int, v any) {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, ErrApplicationNotFound):
		adminError(w, http.StatusNotFound, adminErrNotFound, "no such "+strings.SplitN(action, "_", 2)[0])
		return
	case errors.Is(err, store.ErrConflict), errors.Is(err, ErrApplicationExists):
		adminError(w, http.StatusConflict, adminErrConflict, "it exists already")
		return
	case err != nil:
		adminError(w, http.StatusBadRequest, adminErrInvalid, err.Error())
		return
	}
	h.s.env.Audit("admin_change").Str("admin", t.Name).Str("action", action).Str("target", target).Msg("admin change")
	httpio.WriteJSON(w, status, v)
}

func (h *adminAPI) read(w http.ResponseWriter, v any, err error) {
	if err != nil {
		h.s.log.Error().Err(err).Msg("admin API read")
		adminError(w, http.StatusInternalServerError, adminErrInternal, "internal error")
		return
	}
	httpio.WriteJSON(w, http.StatusOK, v)
}

// body decodes a JSON body strictly (unknown fields refused).
func body(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := httpio.ReadBody(w, r, 64<<10)
	if err == nil {
		err = httpio.DecodeStrictJSON(b, v)
	}
	if err != nil {
		adminError(w, http.StatusBadRequest, adminErrInvalid, "the body must be a JSON object of the documented fields")
		return false
	}
	return true
}

type apiClientView struct {
	ID            string   `json:"id"`
	CallbackURIs  []string `json:"callback_uris"`
	CallbackKeyID string   `json:"callback_key_id"`
	MaxMessageLen int      `json:"max_message_len"`
	Disabled      bool     `json:"disabled"`
	CreatedAt     int64    `json:"created_at"`
}

func (h *adminAPI) listAPIClients(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	cs, err := h.s.Admin().ListAPIClients(r.Context())
	out := make([]apiClientView, 0, len(cs))
	for _, c := range cs {
		out = append(out, apiClientView{ID: c.ID, CallbackURIs: append([]string{}, c.CallbackURIs...), CallbackKeyID: c.CallbackKeyID, MaxMessageLen: c.MaxMessageLen, Disabled: c.Disabled, CreatedAt: c.CreatedAt})
	}
	h.read(w, out, err)
}

type credentialsView struct {
	ID            string `json:"id"`
	Secret        string `json:"secret,omitempty"`
	CallbackKeyID string `json:"callback_key_id,omitempty"`
	CallbackKey   string `json:"callback_key,omitempty"`
}

func (h *adminAPI) createAPIClient(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	var req struct {
		ID            string   `json:"id"`
		CallbackURIs  []string `json:"callback_uris"`
		MaxMessageLen int      `json:"max_message_len"`
	}
	if !body(w, r, &req) {
		return
	}
	cr, err := h.s.Admin().CreateAPIClient(r.Context(), APIClientSpec{ID: req.ID, CallbackURIs: req.CallbackURIs, MaxMessageLen: req.MaxMessageLen})
	h.done(w, t, "api_client_create", req.ID, err, http.StatusCreated, credentialsView{cr.ID, cr.Secret, cr.CallbackKeyID, cr.CallbackKey})
}

func (h *adminAPI) rotateSecret(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	sec, err := h.s.Admin().RotateSecret(r.Context(), id, "")
	h.done(w, t, "api_client_rotate_secret", id, err, http.StatusOK, credentialsView{ID: id, Secret: sec})
}

func (h *adminAPI) rotateCallbackKey(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	kid, key, err := h.s.Admin().RotateCallbackKey(r.Context(), id)
	h.done(w, t, "api_client_rotate_callback_key", id, err, http.StatusOK, credentialsView{ID: id, CallbackKeyID: kid, CallbackKey: key})
}

func (h *adminAPI) addCallbackURIs(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	var req struct {
		CallbackURIs []string `json:"callback_uris"`
	}
	if !body(w, r, &req) {
		return
	}
	id := r.PathValue("id")
	err := h.s.Admin().AddCallbackURIs(r.Context(), id, req.CallbackURIs...)
	h.done(w, t, "api_client_add_callback_uris", id, err, http.StatusOK, map[string]string{"status": "ok"})
}

// SetAPIClientDisabled disables (its requests refused) or enables an API client.
func (a *Admin) SetAPIClientDisabled(ctx context.Context, id string, disabled bool) error {
	return a.updateAPIClient(ctx, id, func(c *store.APIClient) { c.Disabled = disabled })
}

// SetOTPTypeDisabled disables (new requests of it refused) or enables an OTP type.
func (a *Admin) SetOTPTypeDisabled(ctx context.Context, name string, disabled bool) error {
	defer a.notify()
	return a.Store.InTx(ctx, func(tx store.Tx) error {
		t, err := tx.GetOTPType(ctx, name)
		if err != nil {
			return err
		}
		t.Disabled = disabled
		return tx.PutOTPType(ctx, t)
	})
}

func (h *adminAPI) setAPIClient(disabled bool) func(http.ResponseWriter, *http.Request, store.AdminToken) {
	return func(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
		id := r.PathValue("id")
		err := h.s.Admin().SetAPIClientDisabled(r.Context(), id, disabled)
		action := map[bool]string{true: "api_client_disable", false: "api_client_enable"}[disabled]
		h.done(w, t, action, id, err, http.StatusOK, map[string]any{"id": id, "disabled": disabled})
	}
}

func (h *adminAPI) setOTPType(disabled bool) func(http.ResponseWriter, *http.Request, store.AdminToken) {
	return func(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
		name := r.PathValue("name")
		err := h.s.Admin().SetOTPTypeDisabled(r.Context(), name, disabled)
		action := map[bool]string{true: "otp_type_disable", false: "otp_type_enable"}[disabled]
		h.done(w, t, action, name, err, http.StatusOK, map[string]any{"name": name, "disabled": disabled})
	}
}

// listUsers: GET /admin/v1/users?after=ID — up to 500 users by id.
func (h *adminAPI) listUsers(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	us, err := store.ListUsers(r.Context(), h.s.st, r.URL.Query().Get("after"), 500)
	type userView struct {
		ID        string `json:"id"`
		CreatedAt int64  `json:"created_at"`
		Disabled  bool   `json:"disabled"`
	}
	out := make([]userView, 0, len(us))
	for _, u := range us {
		out = append(out, userView{u.ID, u.CreatedAt, u.Disabled})
	}
	h.read(w, out, err)
}

type applicationView struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	RedirectURIs []string `json:"redirect_uris"`
	Platforms    []string `json:"platforms"`
	Versions     []string `json:"versions"`
	SSOTargets   []string `json:"sso_targets"`
	Disabled     bool     `json:"disabled"`
}

func (h *adminAPI) listApplications(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	as, err := h.s.Admin().ListApplications(r.Context())
	out := make([]applicationView, 0, len(as))
	for _, a := range as {
		out = append(out, applicationView{a.ID, a.Name, append([]string{}, a.RedirectURIs...), append([]string{}, a.Platforms...), append([]string{}, a.Versions...),
			append([]string{}, a.SSOTargets...), a.Disabled})
	}
	h.read(w, out, err)
}

func (h *adminAPI) createApplication(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	var req applicationView
	if !body(w, r, &req) {
		return
	}
	err := h.s.Admin().CreateApplication(r.Context(), ApplicationSpec{ID: req.ID, Name: req.Name, RedirectURIs: req.RedirectURIs, Platforms: req.Platforms, Versions: req.Versions,
		SSOTargets: req.SSOTargets, Disabled: req.Disabled})
	h.done(w, t, "application_create", req.ID, err, http.StatusCreated, req)
}

func (h *adminAPI) setApplication(enabled bool) func(http.ResponseWriter, *http.Request, store.AdminToken) {
	return func(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
		id := r.PathValue("id")
		err := h.s.Admin().SetApplicationEnabled(r.Context(), id, enabled)
		action := "application_disable"
		if enabled {
			action = "application_enable"
		}
		h.done(w, t, action, id, err, http.StatusOK, map[string]any{"id": id, "disabled": !enabled})
	}
}

// putSSOTargets replaces an application's app-to-web single sign-on targets.
func (h *adminAPI) putSSOTargets(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	var req struct {
		SSOTargets []string `json:"sso_targets"`
	}
	if !body(w, r, &req) {
		return
	}
	if req.SSOTargets == nil {
		req.SSOTargets = []string{}
	}
	err := h.s.Admin().SetApplicationSSOTargets(r.Context(), id, req.SSOTargets)
	h.done(w, t, "application_sso_targets", id, err, http.StatusOK, map[string]any{"id": id, "sso_targets": req.SSOTargets})
}

func (h *adminAPI) deleteApplication(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	err := h.s.Admin().DeleteApplication(r.Context(), id)
	h.done(w, t, "application_delete", id, err, http.StatusOK, map[string]string{"status": "deleted"})
}

type otpTypeView struct {
	Name          string `json:"name"`
	ExpirySeconds int    `json:"expiry_seconds"`
	Template      string `json:"template"`
	Push          bool   `json:"push"`
	Disabled      bool   `json:"disabled"`
}

func (h *adminAPI) listOTPTypes(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	var ts []store.OTPType
	err := h.s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		ts, err = tx.ListOTPTypes(r.Context())
		return err
	})
	out := make([]otpTypeView, 0, len(ts))
	for _, t := range ts {
		out = append(out, otpTypeView{t.Name, t.ExpirySecs, t.MessageTemplate, t.Push, t.Disabled})
	}
	h.read(w, out, err)
}

func (h *adminAPI) putOTPType(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	var req struct {
		ExpirySeconds int    `json:"expiry_seconds"`
		Template      string `json:"template"`
		Push          bool   `json:"push"`
	}
	if !body(w, r, &req) {
		return
	}
	name := r.PathValue("name")
	if req.Template == "" {
		req.Template = "{message}"
	}
	a := h.s.Admin()
	err := a.PutOTPType(r.Context(), name, time.Duration(req.ExpirySeconds)*time.Second, req.Template)
	if err == nil {
		err = a.SetOTPTypePush(r.Context(), name, req.Push)
	}
	h.done(w, t, "otp_type_put", name, err, http.StatusOK, otpTypeView{Name: name, ExpirySeconds: req.ExpirySeconds, Template: req.Template, Push: req.Push})
}

func (h *adminAPI) createUser(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if !body(w, r, &req) {
		return
	}
	id, err := h.s.Admin().CreateUser(r.Context(), req.Username, req.Password)
	h.done(w, t, "user_create", req.Username, err, http.StatusCreated, map[string]string{"id": id})
}

type enrollmentView struct {
	ID        string `json:"id"`
	ProfileID string `json:"profile_id"`
	ClientID  string `json:"client_id"`
	CreatedAt int64  `json:"created_at"`
}

func (h *adminAPI) listEnrollments(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	id := r.PathValue("id")
	var es []store.Enrollment
	err := h.s.st.View(r.Context(), func(tx store.Tx) error {
		if _, err := tx.GetUser(r.Context(), id); err != nil {
			return err
		}
		var err error
		es, err = tx.EnrollmentsOfUser(r.Context(), id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		adminError(w, http.StatusNotFound, adminErrNotFound, "no such user")
		return
	}
	out := make([]enrollmentView, 0, len(es))
	for _, e := range es {
		out = append(out, enrollmentView{e.ID, e.ProfileID, e.ClientID, e.CreatedAt})
	}
	h.read(w, out, err)
}

func (h *adminAPI) resetDevices(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	n, err := h.s.Admin().ResetUserDevices(r.Context(), id)
	h.done(w, t, "user_reset_devices", id, err, http.StatusOK, map[string]int{"removed": n})
}
