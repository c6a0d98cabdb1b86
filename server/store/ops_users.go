package store

import (
	"context"
	"errors"
)

// Operator actions on one user (issue 16: tokenserver user
// disable|enable|delete|unlock, the admin API's /admin/v1/users/{id}/...).

// UserDisabled reports whether user id exists and is disabled (false for an
// unknown id: a user known only to a custom identity provider's backend has
// no row until its first registration).
func UserDisabled(ctx context.Context, tx Tx, id string) (bool, error) {
	t, ok := tx.(*sqlTx)
	if !ok {
		return false, errors.New("store: not an SQL transaction")
	}
	var d int
	err := noRow(t.row(ctx, "SELECT disabled FROM users WHERE id = ?", id).Scan(&d))
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return d != 0, err
}

// SetUserDisabled disables or enables user id (ErrNotFound when unknown).
// Disabling also revokes every token, unspent authorization code and browser
// session of the user in the same transaction, so a session in progress ends at once; the
// user's profiles, enrollments and authenticators stay (enable restores
// them). It reports whether the flag changed.
func SetUserDisabled(ctx context.Context, s Store, id string, disabled bool) (changed bool, err error) {
	err = s.InTx(ctx, func(tx Tx) error {
		t := tx.(*sqlTx)
		var cur int
		if err := noRow(t.row(ctx, "SELECT disabled FROM users WHERE id = ?"+t.d.forUpdate, id).Scan(&cur)); err != nil {
			return err
		}
		changed = (cur != 0) != disabled
		if _, err := t.exec(ctx, "UPDATE users SET disabled = ? WHERE id = ?", b2i(disabled), id); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		for _, q := range []string{"DELETE FROM tokens WHERE user_id = ?", "DELETE FROM auth_codes WHERE user_id = ?", "DELETE FROM web_sessions WHERE user_id = ?"} {
			if _, err := t.exec(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// DeletedUser counts what DeleteUser removed.
type DeletedUser struct {
	Profiles     int   // registrations (each with its tokens and authenticators)
	Enrollments  int   // mobile-authentication enrollments (devices)
	Transactions int64 // pending or claimed requests bound to or claimed by the user
	// ProfileIDs and ClientIDs name the removed enrollments' (profile,
	// client) pairs, for the callers' caches.
	ProfileIDs, ClientIDs []string
}

// DeleteUser removes user id with everything held for them, in one
// transaction: profiles, tokens, authorization codes, enrollments and their
// push registrations, authenticators and challenges, the user's open
// (pending or claimed) requests with their push jobs, push state and
// suspension. Answered requests stay as the relying parties' history
// (purged with the retention). ErrNotFound when id is unknown.
func DeleteUser(ctx context.Context, s Store, id string) (DeletedUser, error) {
	var out DeletedUser
	err := s.InTx(ctx, func(tx Tx) error {
		t := tx.(*sqlTx)
		var got string
		if err := noRow(t.row(ctx, "SELECT id FROM users WHERE id = ?"+t.d.forUpdate, id).Scan(&got)); err != nil {
			return err
		}
		es, err := t.EnrollmentsOfUser(ctx, id)
		if err != nil {
			return err
		}
		out.Enrollments = len(es)
		for _, e := range es {
			out.ProfileIDs, out.ClientIDs = append(out.ProfileIDs, e.ProfileID), append(out.ClientIDs, e.ClientID)
			if _, err := t.exec(ctx, "DELETE FROM push_targets WHERE enrollment_id = ?", e.ID); err != nil {
				return err
			}
		}
		rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT id FROM profiles WHERE user_id = ?"), id)
		if err != nil {
			return err
		}
		var profiles []string
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return err
			}
			profiles = append(profiles, p)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		out.Profiles = len(profiles)
		for _, p := range profiles {
			if err := t.DeleteProfile(ctx, p); err != nil {
				return err
			}
			if err := t.DeleteSetting(ctx, "disenrolled:"+p); err != nil {
				return err
			}
		}
		const open = "(bound_user_id = ? OR user_id = ?) AND status IN ('pending', 'claimed')"
		for _, q := range []string{
			"DELETE FROM push_outbox WHERE transaction_id IN (SELECT id FROM transactions WHERE " + open + ")",
			"DELETE FROM push_requests WHERE transaction_id IN (SELECT id FROM transactions WHERE " + open + ")",
		} {
			if _, err := t.exec(ctx, q, id, id); err != nil {
				return err
			}
		}
		if out.Transactions, err = t.exec(ctx, "DELETE FROM transactions WHERE "+open, id, id); err != nil {
			return err
		}
		for _, q := range []string{
			"DELETE FROM tokens WHERE user_id = ?",
			"DELETE FROM auth_codes WHERE user_id = ?",
			"DELETE FROM enrollments WHERE user_id = ?",
			"DELETE FROM push_requests WHERE user_id = ?",
			"DELETE FROM push_users WHERE user_id = ?",
			"DELETE FROM user_suspensions WHERE user_id = ?",
			"DELETE FROM web_sessions WHERE user_id = ?", // the id may be given to someone else
			"DELETE FROM users WHERE id = ?",
		} {
			if _, err := t.exec(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// UnlockedUser says what UnlockUser reset.
type UnlockedUser struct {
	PinFailures int  // profiles whose wrong-PIN counter was above zero
	Suspension  bool // a suspension of user-bound requests was lifted
	ProfileIDs  []string
}

// UnlockUser resets user id's wrong-PIN counters and lifts a suspension of
// their user-bound requests, in one transaction (ErrNotFound when unknown).
// ProfileIDs lists every profile of the user (the caller resets the
// per-profile rate limits).
func UnlockUser(ctx context.Context, s Store, id string) (UnlockedUser, error) {
	var out UnlockedUser
	err := s.InTx(ctx, func(tx Tx) error {
		t := tx.(*sqlTx)
		var got string
		if err := noRow(t.row(ctx, "SELECT id FROM users WHERE id = ?", id).Scan(&got)); err != nil {
			return err
		}
		rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT id FROM profiles WHERE user_id = ?"), id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return err
			}
			out.ProfileIDs = append(out.ProfileIDs, p)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		n, err := t.exec(ctx, "UPDATE profiles SET pin_failures = 0 WHERE user_id = ? AND pin_failures > 0", id)
		if err != nil {
			return err
		}
		out.PinFailures = int(n)
		out.Suspension, err = t.DeleteSuspension(ctx, id)
		return err
	})
	return out, err
}

// ResetBucket deletes shared rate-limit bucket (name, key): the next take
// starts from a full bucket (an operator's unlock).
func ResetBucket(ctx context.Context, s Store, name, key string) error {
	st, err := sqlOf(s)
	if err != nil {
		return err
	}
	_, err = st.writer.ExecContext(ctx, st.d.q("DELETE FROM rate_buckets WHERE name = ? AND key = ?"), name, BucketKey(key))
	return err
}
