package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/antifatigue"
	"github.com/openmobileauth/oma/server/store"
)

// SetOTPTypeAntiFatigue sets an existing OTP type's number matching (every
// request carries a match code) and user verification ("none" or
// "required": an accept needs the user's PIN, verified by the server)
// (DESIGN §13).
func (a *Admin) SetOTPTypeAntiFatigue(ctx context.Context, name string, numberMatching bool, userVerification string) error {
	switch userVerification {
	case "":
		userVerification = protocol.UserVerificationNone
	case protocol.UserVerificationNone, protocol.UserVerificationRequired:
	default:
		return fmt.Errorf("user verification must be %s or %s", protocol.UserVerificationNone, protocol.UserVerificationRequired)
	}
	defer a.notify()
	return a.Store.InTx(ctx, func(tx store.Tx) error {
		t, err := tx.GetOTPType(ctx, name)
		if err != nil {
			return err
		}
		t.NumberMatching, t.UserVerification = numberMatching, userVerification
		return tx.PutOTPType(ctx, t)
	})
}

// UserSuspension is a user's suspension of user-bound requests (DESIGN §13).
type UserSuspension struct {
	Until  time.Time
	Reason string // "not_me" or "wrong_match"
}

// SuspensionOf returns the user's active suspension (ok false when none).
func (a *Admin) SuspensionOf(ctx context.Context, userID string) (UserSuspension, bool, error) {
	var s antifatigue.Suspension
	var ok bool
	err := a.Store.View(ctx, func(tx store.Tx) error {
		var err error
		s, ok, err = antifatigue.SuspensionOf(ctx, tx, userID, time.Now().UnixMilli())
		return err
	})
	return UserSuspension{Until: time.UnixMilli(s.Until).UTC(), Reason: s.Reason}, ok, err
}

// UnsuspendUser lifts the suspension a "this wasn't me" answer (or wrong
// number picks) started, and clears the wrong-pick count; false when the
// user was not suspended.
func (a *Admin) UnsuspendUser(ctx context.Context, userID string) (bool, error) {
	was := false
	err := a.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, userID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no such user: %s", userID)
			}
			return err
		}
		var err error
		was, err = antifatigue.Unsuspend(ctx, tx, userID, time.Now().UnixMilli())
		return err
	})
	return was, err
}
