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

// ListSuspensions returns the suspensions still in force at now (unix ms),
// by user id, at most limit of them (the admin API's list).
func ListSuspensions(ctx context.Context, s Store, now int64, limit int) ([]Suspension, error) {
	st, err := sqlOf(s)
	if err != nil {
		return nil, err
	}
	rows, err := st.reader.QueryContext(ctx, st.d.q("SELECT user_id, until_ms, reason, at FROM user_suspensions WHERE until_ms > ? ORDER BY user_id LIMIT ?"), now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Suspension
	for rows.Next() {
		var x Suspension
		if err := rows.Scan(&x.UserID, &x.Until, &x.Reason, &x.At); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
