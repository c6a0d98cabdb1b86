package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Autocommit runs fn on a writer connection without BEGIN/COMMIT. With
// group commit (PostgreSQL), fn's statements go to the pool one by one
// (each is its own implicit transaction either way) and the batchable ones
// (CreateTransactionForUser) to the batcher.
func (s *sqlStore) Autocommit(ctx context.Context, fn func(Tx) error) error {
	if s.batch != nil {
		t := s.newTx(s.writer)
		t.b = s.batch
		t.s = s
		return fn(t)
	}
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connection: %w", err)
	}
	defer conn.Close()
	return fn(s.newTx(conn))
}

// enrolledSQL is the condition every claim and answer checks in its own
// statement: the enrollment (id, client, profile) still exists — it may have
// been deleted by a deregistration, the override policy or PIN failures
// since the caller read (or cached) it — and its user is not disabled by the
// operator (issue 16; a disabled user cannot answer even from a warm cache).
const enrolledSQL = `SELECT 1 FROM enrollments WHERE id = ? AND client_id = ? AND profile_id = ?` +
	` AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = enrollments.user_id AND users.disabled <> 0)`

// claimOnceSQL does ClaimOnce in one PostgreSQL statement: the jti is
// recorded only when the enrollment exists, and the UPDATE runs only when the
// INSERT of the jti returned a row.
const claimOnceSQL = `WITH e AS (` + enrolledSQL + `),
j AS (INSERT INTO jti_cache (jti, expires_at) SELECT CAST(? AS TEXT), CAST(? AS BIGINT) WHERE EXISTS (SELECT 1 FROM e)
      ON CONFLICT (jti) DO NOTHING RETURNING 1),
u AS (UPDATE transactions SET status = ?, profile_id = ?, enrollment_id = ?, user_id = ?, nonce = ?
      WHERE id = ? AND status = ? AND expires_at > ? AND EXISTS (SELECT 1 FROM j) RETURNING 1)
SELECT (SELECT COUNT(*) FROM e), (SELECT COUNT(*) FROM j), (SELECT COUNT(*) FROM u)`

// claimOnceArgs are claimOnceSQL's arguments.
func claimOnceArgs(jti string, jtiExp int64, id string, e Enrollment, nonce string, now int64) []any {
	return []any{e.ID, e.ClientID, e.ProfileID, jti, jtiExp,
		StatusClaimed, e.ProfileID, e.ID, e.UserID, nonce, id, StatusPending, now}
}

// onceCounts runs a PostgreSQL ClaimOnce/AnswerOnce statement (through the
// group-commit batch when on) and reads its three counts: the enrollment
// still exists (else ErrNotEnrolled), the jti was fresh, the update happened.
func (s *sqlStore) onceCounts(ctx context.Context, q string, args []any) (fresh, done bool, err error) {
	s.note(q)
	var v [3]int
	if s.batch != nil {
		v, err = s.batch.query(ctx, q, args...)
	} else {
		err = s.writer.QueryRowContext(ctx, q, args...).Scan(&v[0], &v[1], &v[2])
	}
	if err == nil && v[0] == 0 {
		err = ErrNotEnrolled
	}
	return v[1] == 1, v[2] == 1, err
}

// ClaimOnce records jti and claims transaction id for enrollment e atomically.
func (s *sqlStore) ClaimOnce(ctx context.Context, jti string, jtiExp int64, id string, e Enrollment, nonce string, now int64) (fresh, claimed bool, err error) {
	if s.d.dollar {
		return s.onceCounts(ctx, s.d.q(claimOnceSQL), claimOnceArgs(jti, jtiExp, id, e, nonce, now))
	}
	err = s.InTx(ctx, func(tx Tx) error {
		t := tx.(*sqlTx)
		if fresh, err = t.useJTIIfEnrolled(ctx, jti, jtiExp, e); err != nil || !fresh {
			return err
		}
		claimed, err = t.ClaimTransaction(ctx, id, e.ProfileID, e.ID, e.UserID, nonce, now)
		return err
	})
	return fresh, claimed, err
}

// useJTIIfEnrolled records jti if enrollment e still exists, in one
// statement (SQLite's ClaimOnce/AnswerOnce, inside their transaction):
// ErrNotEnrolled when e is gone, fresh false when the jti was seen before.
// Only when nothing was inserted does a second query tell the two apart.
func (t *sqlTx) useJTIIfEnrolled(ctx context.Context, jti string, jtiExp int64, e Enrollment) (bool, error) {
	n, err := t.exec(ctx, "INSERT INTO jti_cache (jti, expires_at) SELECT ?, ? WHERE EXISTS ("+enrolledSQL+") ON CONFLICT (jti) DO NOTHING",
		jti, jtiExp, e.ID, e.ClientID, e.ProfileID)
	if err != nil || n == 1 {
		return n == 1, err
	}
	var one int
	err = t.row(ctx, enrolledSQL, e.ID, e.ClientID, e.ProfileID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotEnrolled
	}
	return false, err
}

const answerOnceSQL = `WITH e AS (` + enrolledSQL + `),
j AS (INSERT INTO jti_cache (jti, expires_at) SELECT CAST(? AS TEXT), CAST(? AS BIGINT) WHERE EXISTS (SELECT 1 FROM e)
      ON CONFLICT (jti) DO NOTHING RETURNING 1),
u AS (UPDATE transactions SET status = ?, answered_at = ?
      WHERE id = ? AND status = ? AND enrollment_id = ? AND nonce = ? AND expires_at > ? AND EXISTS (SELECT 1 FROM j) RETURNING 1)`

const answerOnceOutboxSQL = `,
o AS (INSERT INTO outbox (id, api_client_id, url, body, attempts, next_attempt_at, delivered_at, dead, last_error, created_at)
      SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), 0, CAST(? AS BIGINT), 0, 0, '', CAST(? AS BIGINT) FROM u)`

const answerOnceSelect = `
SELECT (SELECT COUNT(*) FROM e), (SELECT COUNT(*) FROM j), (SELECT COUNT(*) FROM u)`

// AnswerOnce records jti, answers transaction id and queues cb atomically.
func (s *sqlStore) AnswerOnce(ctx context.Context, jti string, jtiExp int64, id string, e Enrollment, nonce, status string, now int64, cb *Callback) (fresh, answered bool, err error) {
	if s.d.dollar {
		q := answerOnceSQL
		args := []any{e.ID, e.ClientID, e.ProfileID, jti, jtiExp, status, now, id, StatusClaimed, e.ID, nonce, now}
		if cb != nil {
			q += answerOnceOutboxSQL
			args = append(args, cb.ID, cb.APIClientID, cb.URL, cb.Body, cb.NextAttemptAt, cb.CreatedAt)
		}
		return s.onceCounts(ctx, s.d.q(q+answerOnceSelect), args)
	}
	err = s.InTx(ctx, func(tx Tx) error {
		t := tx.(*sqlTx)
		if fresh, err = t.useJTIIfEnrolled(ctx, jti, jtiExp, e); err != nil || !fresh {
			return err
		}
		n, err := t.exec(ctx, "UPDATE transactions SET status = ?, answered_at = ? WHERE id = ? AND status = ? AND enrollment_id = ? AND nonce = ? AND expires_at > ?",
			status, now, id, StatusClaimed, e.ID, nonce, now)
		if answered = n == 1; err != nil || !answered || cb == nil {
			return err
		}
		return t.EnqueueCallback(ctx, *cb)
	})
	return fresh, answered, err
}
