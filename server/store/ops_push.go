package store

import (
	"context"
	"strings"
)

const pushTargetCols = "enrollment_id, provider, token, endpoint, p256dh, auth, invalid, invalid_reason, updated_at"

func scanPushTarget(r scanner, extra ...any) (PushTarget, error) {
	var p PushTarget
	var invalid int
	dest := append([]any{&p.EnrollmentID, &p.Provider, &p.Token, &p.Endpoint, &p.P256dh, &p.Auth, &invalid, &p.InvalidReason, &p.UpdatedAt}, extra...)
	err := r.Scan(dest...)
	p.Invalid = invalid != 0
	return p, noRow(err)
}

// PutPushTarget upserts an enrollment's push registration, valid again.
func (t *sqlTx) PutPushTarget(ctx context.Context, p PushTarget) error {
	_, err := t.exec(ctx, "INSERT INTO push_targets ("+pushTargetCols+") VALUES (?, ?, ?, ?, ?, ?, 0, '', ?) "+
		"ON CONFLICT (enrollment_id) DO UPDATE SET provider = excluded.provider, token = excluded.token, endpoint = excluded.endpoint, "+
		"p256dh = excluded.p256dh, auth = excluded.auth, invalid = 0, invalid_reason = '', updated_at = excluded.updated_at",
		p.EnrollmentID, p.Provider, p.Token, p.Endpoint, p.P256dh, p.Auth, p.UpdatedAt)
	return err
}

// GetPushTarget returns an enrollment's push registration or ErrNotFound.
func (t *sqlTx) GetPushTarget(ctx context.Context, enrollmentID string) (PushTarget, error) {
	return scanPushTarget(t.row(ctx, "SELECT "+pushTargetCols+" FROM push_targets WHERE enrollment_id = ?", enrollmentID))
}

// PushTargetsOfUser lists the valid registrations of the user's enrollments.
func (t *sqlTx) PushTargetsOfUser(ctx context.Context, userID string) ([]PushTarget, error) {
	cols := "p." + strings.ReplaceAll(pushTargetCols, ", ", ", p.")
	rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT "+cols+", e.profile_id FROM push_targets p JOIN enrollments e ON e.id = p.enrollment_id "+
		"WHERE e.user_id = ? AND p.invalid = 0 ORDER BY e.created_at, e.id"), userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PushTarget
	for rows.Next() {
		var profile string
		p, err := scanPushTarget(rows, &profile)
		if err != nil {
			return nil, err
		}
		p.ProfileID = profile
		out = append(out, p)
	}
	return out, rows.Err()
}

// InvalidatePushTarget marks a registration invalid if it is unchanged.
func (t *sqlTx) InvalidatePushTarget(ctx context.Context, enrollmentID, token, endpoint, reason string) (bool, error) {
	n, err := t.exec(ctx, "UPDATE push_targets SET invalid = 1, invalid_reason = ? WHERE enrollment_id = ? AND token = ? AND endpoint = ?",
		reason, enrollmentID, token, endpoint)
	return n == 1, err
}

// LockPushUser returns (creating) and locks a user's back-off state.
func (t *sqlTx) LockPushUser(ctx context.Context, userID string) (PushUserState, error) {
	if _, err := t.exec(ctx, "INSERT INTO push_users (user_id, last_created_at, streak) VALUES (?, 0, 0) ON CONFLICT (user_id) DO NOTHING", userID); err != nil {
		return PushUserState{}, err
	}
	s := PushUserState{UserID: userID}
	err := t.row(ctx, "SELECT last_created_at, streak FROM push_users WHERE user_id = ?"+t.d.forUpdate, userID).Scan(&s.LastCreatedAt, &s.Streak)
	return s, noRow(err)
}

// PutPushUser stores a user's back-off state.
func (t *sqlTx) PutPushUser(ctx context.Context, s PushUserState) error {
	_, err := t.exec(ctx, "UPDATE push_users SET last_created_at = ?, streak = ? WHERE user_id = ?", s.LastCreatedAt, s.Streak, s.UserID)
	return err
}

// CreatePushRequest records an open push request.
func (t *sqlTx) CreatePushRequest(ctx context.Context, p PushRequest) error {
	_, err := t.exec(ctx, "INSERT INTO push_requests (transaction_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		p.TransactionID, p.UserID, p.CreatedAt, p.ExpiresAt)
	return err
}

// OpenPushRequests lists a user's unanswered, unexpired push requests.
func (t *sqlTx) OpenPushRequests(ctx context.Context, userID string, now int64, withClaimed bool, limit int) ([]Transaction, error) {
	other := StatusPending
	if withClaimed {
		other = StatusClaimed
	}
	cols := "t." + strings.ReplaceAll(txCols, ", ", ", t.")
	rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT "+cols+" FROM push_requests p JOIN transactions t ON t.id = p.transaction_id "+
		"WHERE p.user_id = ? AND p.expires_at > ? AND t.expires_at > ? AND t.status IN (?, ?) ORDER BY p.created_at, p.transaction_id LIMIT ?"),
		userID, now, now, StatusPending, other, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Transaction
	for rows.Next() {
		x, err := scanTransaction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// IsPushRequest tells whether the transaction was created as a push request.
func (t *sqlTx) IsPushRequest(ctx context.Context, transactionID string) (bool, error) {
	var n int
	err := t.row(ctx, "SELECT COUNT(*) FROM push_requests WHERE transaction_id = ?", transactionID).Scan(&n)
	return n > 0, err
}

const pushJobCols = "id, transaction_id, enrollment_id, profile_id, attempts, next_attempt_at, expires_at, done_at, outcome, last_error, created_at"

func scanPushJob(r scanner) (PushJob, error) {
	var j PushJob
	err := r.Scan(&j.ID, &j.TransactionID, &j.EnrollmentID, &j.ProfileID, &j.Attempts, &j.NextAttemptAt, &j.ExpiresAt, &j.DoneAt, &j.Outcome, &j.LastError, &j.CreatedAt)
	return j, noRow(err)
}

// EnqueuePush adds a job to the push outbox.
func (t *sqlTx) EnqueuePush(ctx context.Context, j PushJob) error {
	_, err := t.exec(ctx, "INSERT INTO push_outbox ("+pushJobCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		j.ID, j.TransactionID, j.EnrollmentID, j.ProfileID, j.Attempts, j.NextAttemptAt, j.ExpiresAt, j.DoneAt, j.Outcome, j.LastError, j.CreatedAt)
	return err
}

// DuePushes lists unfinished jobs whose next attempt is due.
func (t *sqlTx) DuePushes(ctx context.Context, now int64, limit int) ([]PushJob, error) {
	rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT "+pushJobCols+" FROM push_outbox WHERE done_at = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"), now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PushJob
	for rows.Next() {
		j, err := scanPushJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// LeasePush moves next_attempt_at from prev to until (optimistic lease).
func (t *sqlTx) LeasePush(ctx context.Context, id string, prev, until int64) (bool, error) {
	n, err := t.exec(ctx, "UPDATE push_outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND done_at = 0", until, id, prev)
	return n == 1, err
}

// FinishPush records a job's final outcome.
func (t *sqlTx) FinishPush(ctx context.Context, id string, now int64, attempts int, outcome, lastErr string) error {
	_, err := t.exec(ctx, "UPDATE push_outbox SET done_at = ?, attempts = ?, outcome = ?, last_error = ? WHERE id = ?", now, attempts, outcome, lastErr, id)
	return err
}

// ReschedulePush records a failed attempt to be retried at next.
func (t *sqlTx) ReschedulePush(ctx context.Context, id string, attempts int, next int64, lastErr string) error {
	_, err := t.exec(ctx, "UPDATE push_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND done_at = 0", attempts, next, lastErr, id)
	return err
}

// GetPushJob returns one push outbox row.
func (t *sqlTx) GetPushJob(ctx context.Context, id string) (PushJob, error) {
	return scanPushJob(t.row(ctx, "SELECT "+pushJobCols+" FROM push_outbox WHERE id = ?", id))
}

// PurgePush deletes old push history and orphaned registrations.
func (t *sqlTx) PurgePush(ctx context.Context, historyBefore int64) (int64, error) {
	var total int64
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"DELETE FROM push_requests WHERE expires_at < ?", []any{historyBefore}},
		{"DELETE FROM push_outbox WHERE done_at > 0 AND created_at < ?", []any{historyBefore}},
		{"DELETE FROM push_targets WHERE enrollment_id NOT IN (SELECT id FROM enrollments)", nil},
	} {
		n, err := t.exec(ctx, q.sql, q.args...)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
