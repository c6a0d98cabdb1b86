package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/openmobileauth/oma/server/enrollpolicy"
	"github.com/openmobileauth/oma/server/store"
)

// RevokeEnrollment removes one mobile-authentication enrollment of user
// userID (one device; ResetUserDevices removes all). The device learns it from
// its next request (user_disenrolled). An enrollment of another user is
// store.ErrNotFound, as an unknown one.
func (a *Admin) RevokeEnrollment(ctx context.Context, userID, enrollmentID string) error {
	return a.Store.InTx(ctx, func(tx store.Tx) error {
		e, err := tx.GetEnrollment(ctx, enrollmentID)
		if err != nil {
			return err
		}
		if e.UserID != userID {
			return fmt.Errorf("enrollment %s of user %s: %w", enrollmentID, userID, store.ErrNotFound)
		}
		if err := tx.LockUser(ctx, userID); err != nil {
			return err
		}
		if err := tx.DeleteEnrollment(ctx, e.ID); err != nil {
			return err
		}
		// The user's browser sessions end too (they are not tied to one
		// device): the revoked phone's browser would otherwise "Continue
		// as" the user and register a new device.
		if err := tx.EndWebSessionsOfUser(ctx, userID); err != nil {
			return err
		}
		return tx.PutSetting(ctx, enrollpolicy.DisenrolledKey(e.ProfileID), "operator")
	})
}

// revokeEnrollment: DELETE /admin/v1/users/{id}/enrollments/{enrollment}.
func (h *adminAPI) revokeEnrollment(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id, eid := r.PathValue("id"), r.PathValue("enrollment")
	err := h.s.Admin().RevokeEnrollment(r.Context(), id, eid)
	h.done(w, t, "enrollment_revoke", id+"/"+eid, err, http.StatusOK, map[string]string{"status": "revoked"})
}

type suspensionView struct {
	Suspended bool   `json:"suspended"`
	Until     string `json:"until,omitempty"`  // RFC 3339, UTC
	Reason    string `json:"reason,omitempty"` // not_me or wrong_match
}

// getSuspension: GET /admin/v1/users/{id}/suspension — the user's active
// suspension of user-bound requests (DESIGN §13), if any.
func (h *adminAPI) getSuspension(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	id := r.PathValue("id")
	err := h.s.st.View(r.Context(), func(tx store.Tx) error {
		_, err := tx.GetUser(r.Context(), id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		adminError(w, http.StatusNotFound, adminErrNotFound, "no such user")
		return
	}
	var out suspensionView
	if err == nil {
		var s UserSuspension
		s, out.Suspended, err = h.s.Admin().SuspensionOf(r.Context(), id)
		if out.Suspended {
			out.Until, out.Reason = s.Until.Format(time.RFC3339), s.Reason
		}
	}
	h.read(w, out, err)
}

// liftSuspension: DELETE /admin/v1/users/{id}/suspension.
func (h *adminAPI) liftSuspension(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	err := h.s.st.View(r.Context(), func(tx store.Tx) error {
		_, err := tx.GetUser(r.Context(), id)
		return err
	})
	var was bool
	if err == nil {
		was, err = h.s.Admin().UnsuspendUser(r.Context(), id)
	}
	h.done(w, t, "user_unsuspend", id, err, http.StatusOK, map[string]bool{"lifted": was})
}

// listSuspensions: GET /admin/v1/suspensions — every suspension in force.
func (h *adminAPI) listSuspensions(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	ss, err := store.ListSuspensions(r.Context(), h.s.st, h.s.env.NowMs(), 1000)
	type view struct {
		UserID string `json:"user_id"`
		Until  string `json:"until"`
		Reason string `json:"reason"`
	}
	out := make([]view, 0, len(ss))
	for _, s := range ss {
		out = append(out, view{s.UserID, time.UnixMilli(s.Until).UTC().Format(time.RFC3339), s.Reason})
	}
	h.read(w, out, err)
}

// UserEnrollments lists user userID's mobile-authentication enrollments
// (store.ErrNotFound for an unknown user).
func (a *Admin) UserEnrollments(ctx context.Context, userID string) ([]store.Enrollment, error) {
	var es []store.Enrollment
	err := a.Store.View(ctx, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, userID); err != nil {
			return err
		}
		var err error
		es, err = tx.EnrollmentsOfUser(ctx, userID)
		return err
	})
	return es, err
}

// ListUsers lists up to limit users with ids after after, by id.
func (a *Admin) ListUsers(ctx context.Context, after string, limit int) ([]store.User, error) {
	return store.ListUsers(ctx, a.Store, after, limit)
}

// ListSuspensions lists the suspensions in force now.
func (a *Admin) ListSuspensions(ctx context.Context) ([]store.Suspension, error) {
	return store.ListSuspensions(ctx, a.Store, a.now(), 1000)
}

// ListOTPTypes lists the configured OTP types (the CLI's otp-type list).
func (a *Admin) ListOTPTypes(ctx context.Context) ([]store.OTPType, error) {
	var ts []store.OTPType
	err := a.Store.View(ctx, func(tx store.Tx) error {
		var err error
		ts, err = tx.ListOTPTypes(ctx)
		return err
	})
	return ts, err
}

// DeleteAPIClient removes an API client that has no open request and no
// undelivered callback (store.ErrInUse otherwise: disable it, let them end,
// then delete). Its finished requests stay as history.
func (a *Admin) DeleteAPIClient(ctx context.Context, id string) error {
	defer a.notify()
	return store.DeleteAPIClient(ctx, a.Store, id, a.now())
}

// DeleteOTPType removes an OTP type with no open request (store.ErrInUse
// otherwise).
func (a *Admin) DeleteOTPType(ctx context.Context, name string) error {
	defer a.notify()
	return store.DeleteOTPType(ctx, a.Store, name, a.now())
}

// deleteAPIClient: DELETE /admin/v1/api-clients/{id}.
func (h *adminAPI) deleteAPIClient(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	id := r.PathValue("id")
	err := h.s.Admin().DeleteAPIClient(r.Context(), id)
	if errors.Is(err, store.ErrInUse) {
		adminError(w, http.StatusConflict, adminErrConflict, "the API client has open requests or undelivered callbacks: disable it and delete it once they ended")
		return
	}
	h.done(w, t, "api_client_delete", id, err, http.StatusOK, map[string]string{"status": "deleted"})
}

// deleteOTPType: DELETE /admin/v1/otp-types/{name}.
func (h *adminAPI) deleteOTPType(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	name := r.PathValue("name")
	err := h.s.Admin().DeleteOTPType(r.Context(), name)
	if errors.Is(err, store.ErrInUse) {
		adminError(w, http.StatusConflict, adminErrConflict, "the OTP type has open requests: disable it and delete it once they ended")
		return
	}
	h.done(w, t, "otp_type_delete", name, err, http.StatusOK, map[string]string{"status": "deleted"})
}
