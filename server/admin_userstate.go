package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/openmobileauth/oma/server/store"
)

// Disable, enable, delete and unlock a user (issue 16): the admin API's
// /admin/v1/users/{id}/disable|enable|unlock and DELETE /admin/v1/users/{id},
// the CLI's tokenserver user disable|enable|delete|unlock.

// SetUserDisabled disables (no login, token, claim, answer or request for
// the user; their tokens are revoked at once) or enables user id. changed is
// false when the user already was in that state; store.ErrNotFound for an
// unknown user.
func (a *Admin) SetUserDisabled(ctx context.Context, id string, disabled bool) (changed bool, err error) {
	return store.SetUserDisabled(ctx, a.Store, id, disabled)
}

// DeleteUser removes user id and everything held for them in one
// transaction (store.DeleteUser).
func (a *Admin) DeleteUser(ctx context.Context, id string) (store.DeletedUser, error) {
	d, err := store.DeleteUser(ctx, a.Store, id)
	if err == nil && a.forget != nil {
		a.forget(d.ProfileIDs, d.ClientIDs)
	}
	return d, err
}

// UnlockUser resets user id's wrong-PIN counters, lifts a suspension of
// their user-bound requests and refills the rate limits of their logins
// (per user name) and PIN and biometric attempts (per profile).
func (a *Admin) UnlockUser(ctx context.Context, id string) (store.UnlockedUser, error) {
	u, err := store.UnlockUser(ctx, a.Store, id)
	if err != nil {
		return u, err
	}
	if a.resetLimits != nil {
		return u, a.resetLimits(ctx, id, u.ProfileIDs)
	}
	// Another process (the CLI): the running servers' shared buckets
	// (PostgreSQL) are in the store; per-instance buckets refill by time.
	for _, k := range []struct{ name, key string }{{"login_per_user", id}} {
		if err := store.ResetBucket(ctx, a.Store, k.name, k.key); err != nil {
			return u, err
		}
	}
	for _, p := range u.ProfileIDs {
		for _, name := range []string{"pin_per_profile", "biometric_per_profile"} {
			if err := store.ResetBucket(ctx, a.Store, name, p); err != nil {
				return u, err
			}
		}
	}
	return u, nil
}

func (h *adminAPI) setUserDisabled(disabled bool) func(http.ResponseWriter, *http.Request, store.AdminToken) {
	return func(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
		id := r.PathValue("id")
		changed, err := h.s.Admin().SetUserDisabled(r.Context(), id, disabled)
		action := map[bool]string{true: "user_disable", false: "user_enable"}[disabled]
		h.done(w, t, action, id, err, http.StatusOK, map[string]any{"id": id, "disabled": disabled, "changed": changed})
	}
}

func (h *adminAPI) deleteUser(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	d, err := h.s.Admin().DeleteUser(r.Context(), id)
	h.done(w, t, "user_delete", id, err, http.StatusOK, map[string]any{"status": "deleted", "profiles": d.Profiles, "enrollments": d.Enrollments, "open_requests": d.Transactions})
}

func (h *adminAPI) unlockUser(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	u, err := h.s.Admin().UnlockUser(r.Context(), id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.s.log.Error().Err(err).Str("user_id", id).Msg("admin API: unlock")
	}
	h.done(w, t, "user_unlock", id, err, http.StatusOK, map[string]any{"id": id, "pin_counters_reset": u.PinFailures, "suspension_lifted": u.Suspension})
}
