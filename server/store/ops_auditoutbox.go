package store

import "context"

// The audit webhook's outbox (issue 16, migration 0011_audit_outbox): one
// row per audit event, delivered by server/auditwebhook's worker through
// server/outbox.Retrier.

// AuditRow is a queued audit event.
type AuditRow struct {
	ID            string
	Body          string // the signed JSON payload
	Attempts      int
	NextAttemptAt int64 // unix ms
	DeliveredAt   int64 // unix ms, 0 until delivered
	Dead          bool
	LastError     string
	CreatedAt     int64
}

// EnqueueAudit queues r (one autocommitted INSERT).
func EnqueueAudit(ctx context.Context, s Store, r AuditRow) error {
	st, err := sqlOf(s)
	if err != nil {
		return err
	}
	q := "INSERT INTO audit_outbox (id, body, attempts, next_attempt_at, delivered_at, dead, last_error, created_at) VALUES (?, ?, 0, ?, 0, 0, '', ?)"
	st.note(q)
	_, err = st.writer.ExecContext(ctx, st.d.q(q), r.ID, r.Body, r.NextAttemptAt, r.CreatedAt)
	if err != nil && isUniqueViolation(err) {
		return ErrConflict
	}
	return err
}

// DueAudits lists up to limit undelivered, live rows due at now.
func DueAudits(ctx context.Context, s Store, now int64, limit int) ([]AuditRow, error) {
	st, err := sqlOf(s)
	if err != nil {
		return nil, err
	}
	rows, err := st.reader.QueryContext(ctx, st.d.q("SELECT id, body, attempts, next_attempt_at, delivered_at, dead, last_error, created_at FROM audit_outbox WHERE delivered_at = 0 AND dead = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"), now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRow
	for rows.Next() {
		var r AuditRow
		var dead int
		if err := rows.Scan(&r.ID, &r.Body, &r.Attempts, &r.NextAttemptAt, &r.DeliveredAt, &dead, &r.LastError, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Dead = dead != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// LeaseAudit moves a due row's next_attempt_at from prev to until
// (optimistic lease); false when another worker took it.
func LeaseAudit(ctx context.Context, s Store, id string, prev, until int64) (bool, error) {
	n, err := auditExec(ctx, s, "UPDATE audit_outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND delivered_at = 0 AND dead = 0", until, id, prev)
	return n == 1, err
}

// MarkAuditDelivered records a 2xx delivery.
func MarkAuditDelivered(ctx context.Context, s Store, id string, now int64) error {
	_, err := auditExec(ctx, s, "UPDATE audit_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?", now, id)
	return err
}

// RescheduleAudit records a failed attempt.
func RescheduleAudit(ctx context.Context, s Store, id string, attempts int, next int64, lastErr string, dead bool) error {
	_, err := auditExec(ctx, s, "UPDATE audit_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, dead = ? WHERE id = ?", attempts, next, lastErr, b2i(dead), id)
	return err
}

// AuditOutboxDepth counts undelivered, live rows.
func AuditOutboxDepth(ctx context.Context, s Store) (int, error) {
	st, err := sqlOf(s)
	if err != nil {
		return 0, err
	}
	var n int
	err = st.reader.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_outbox WHERE delivered_at = 0 AND dead = 0").Scan(&n)
	return n, err
}

// GetAudit returns one row (tests, operators).
func GetAudit(ctx context.Context, s Store, id string) (AuditRow, error) {
	st, err := sqlOf(s)
	if err != nil {
		return AuditRow{}, err
	}
	var r AuditRow
	var dead int
	err = st.reader.QueryRowContext(ctx, st.d.q("SELECT id, body, attempts, next_attempt_at, delivered_at, dead, last_error, created_at FROM audit_outbox WHERE id = ?"), id).
		Scan(&r.ID, &r.Body, &r.Attempts, &r.NextAttemptAt, &r.DeliveredAt, &dead, &r.LastError, &r.CreatedAt)
	r.Dead = dead != 0
	return r, noRow(err)
}

func auditExec(ctx context.Context, s Store, q string, args ...any) (int64, error) {
	st, err := sqlOf(s)
	if err != nil {
		return 0, err
	}
	st.note(q)
	res, err := st.writer.ExecContext(ctx, st.d.q(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
