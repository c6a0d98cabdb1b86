package device

import (
	"context"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/store"
)

// errUserDisabled answers a login, token, claim or answer of a user the
// operator disabled (issue 16: tokenserver user disable). Said only to a
// caller that proved it holds the profile (PIN, refresh token, enrollment
// key) or the authorization code.
var errUserDisabled = httpio.DevErr(protocol.ErrUserDisabled, "this user is disabled; ask the operator of the service")

// refusal carries a device error out of a store transaction as an error:
// commit rolls the transaction back and answers with it.
type refusal struct{ de *httpio.DeviceError }

func (r refusal) Error() string { return r.de.Code }

// userCheck refuses a disabled user inside a transaction (one primary-key
// read).
func userCheck(ctx context.Context, tx store.Tx, userID string) (*httpio.DeviceError, error) {
	off, err := store.UserDisabled(ctx, tx, userID)
	if err != nil || !off {
		return nil, err
	}
	return errUserDisabled, nil
}

// refuseDisabled is userCheck as an error (for functions that return only
// an error inside commit).
func refuseDisabled(ctx context.Context, tx store.Tx, userID string) error {
	de, err := userCheck(ctx, tx, userID)
	if err == nil && de != nil {
		err = refusal{de}
	}
	return err
}
