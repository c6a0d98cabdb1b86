package store

import (
	"context"
	"fmt"
)

// Autocommit runs fn on a writer connection without BEGIN/COMMIT.
func (s *sqlStore) Autocommit(ctx context.Context, fn func(Tx) error) error {
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connection: %w", err)
	}
	defer conn.Close()
	return fn(&sqlTx{tx: conn, d: s.d})
}

// claimOnceSQL does ClaimOnce in one PostgreSQL statement: the UPDATE runs
// only when the INSERT of the jti returned a row.
const claimOnceSQL = `WITH j AS (INSERT INTO jti_cache (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING RETURNING 1),
u AS (UPDATE transactions SET status = ?, profile_id = ?, enrollment_id = ?, user_id = ?, nonce = ?
      WHERE id = ? AND status = ? AND expires_at > ? AND EXISTS (SELECT 1 FROM j) RETURNING 1)
SELECT (SELECT COUNT(*) FROM j), (SELECT COUNT(*) FROM u)`

// ClaimOnce records jti and claims transaction id atomically.
func (s *sqlStore) ClaimOnce(ctx context.Context, jti string, jtiExp int64, id, profileID, enrollmentID, userID, nonce string, now int64) (fresh, claimed bool, err error) {
	if s.d.dollar {
		var nj, nu int
		err = s.writer.QueryRowContext(ctx, s.d.q(claimOnceSQL), jti, jtiExp, StatusClaimed, profileID, enrollmentID, userID, nonce,
			id, StatusPending, now).Scan(&nj, &nu)
		return nj == 1, nu == 1, err
	}
	err = s.InTx(ctx, func(tx Tx) error {
		if fresh, err = tx.UseJTI(ctx, jti, jtiExp); err != nil || !fresh {
			return err
		}
		claimed, err = tx.ClaimTransaction(ctx, id, profileID, enrollmentID, userID, nonce, now)
		return err
	})
	return fresh, claimed, err
}

const answerOnceSQL = `WITH j AS (INSERT INTO jti_cache (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING RETURNING 1),
u AS (UPDATE transactions SET status = ?, answered_at = ?
      WHERE id = ? AND status = ? AND enrollment_id = ? AND expires_at > ? AND EXISTS (SELECT 1 FROM j) RETURNING 1)`

const answerOnceOutboxSQL = `,
o AS (INSERT INTO outbox (id, api_client_id, url, body, attempts, next_attempt_at, delivered_at, dead, last_error, created_at)
      SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), 0, CAST(? AS BIGINT), 0, 0, '', CAST(? AS BIGINT) FROM u)`

const answerOnceSelect = `
SELECT (SELECT COUNT(*) FROM j), (SELECT COUNT(*) FROM u)`

// AnswerOnce records jti, answers transaction id and queues cb atomically.
func (s *sqlStore) AnswerOnce(ctx context.Context, jti string, jtiExp int64, id, enrollmentID, status string, now int64, cb *Callback) (fresh, answered bool, err error) {
	if s.d.dollar {
		q := answerOnceSQL
		args := []any{jti, jtiExp, status, now, id, StatusClaimed, enrollmentID, now}
		if cb != nil {
			q += answerOnceOutboxSQL
			args = append(args, cb.ID, cb.APIClientID, cb.URL, cb.Body, cb.NextAttemptAt, cb.CreatedAt)
		}
		var nj, nu int
		err = s.writer.QueryRowContext(ctx, s.d.q(q+answerOnceSelect), args...).Scan(&nj, &nu)
		return nj == 1, nu == 1, err
	}
	err = s.InTx(ctx, func(tx Tx) error {
		if fresh, err = tx.UseJTI(ctx, jti, jtiExp); err != nil || !fresh {
			return err
		}
		if answered, err = tx.AnswerTransaction(ctx, id, enrollmentID, status, now); err != nil || !answered || cb == nil {
			return err
		}
		return tx.EnqueueCallback(ctx, *cb)
	})
	return fresh, answered, err
}
