package store

import "context"

// GetSuspension returns the user's suspension row (ended or not) or ErrNotFound.
func (t *sqlTx) GetSuspension(ctx context.Context, userID string) (Suspension, error) {
	s := Suspension{UserID: userID}
	err := t.row(ctx, "SELECT until_ms, reason, at FROM user_suspensions WHERE user_id = ?", userID).Scan(&s.Until, &s.Reason, &s.At)
	return s, noRow(err)
}

// PutSuspension creates or replaces the user's suspension.
func (t *sqlTx) PutSuspension(ctx context.Context, s Suspension) error {
	_, err := t.exec(ctx, "INSERT INTO user_suspensions (user_id, until_ms, reason, at) VALUES (?, ?, ?, ?) "+
		"ON CONFLICT (user_id) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason, at = excluded.at",
		s.UserID, s.Until, s.Reason, s.At)
	return err
}

// DeleteSuspension removes the user's suspension; false when there was none.
func (t *sqlTx) DeleteSuspension(ctx context.Context, userID string) (bool, error) {
	n, err := t.exec(ctx, "DELETE FROM user_suspensions WHERE user_id = ?", userID)
	return n == 1, err
}
