package store

import (
	"context"
	"database/sql"
)

// Joined reads and a conditional insert for the OTP hot path: each replaces
// two statements (or a BEGIN/SELECT/INSERT/COMMIT) with one, which matters
// most on PostgreSQL, where every statement is a round trip.

// CreateTransactionForUser inserts x only if the user x.BoundUserID exists
// and is not suspended at x.CreatedAt (DESIGN §13), in one statement
// (INSERT ... SELECT ... WHERE EXISTS ... AND NOT EXISTS); it reports false,
// inserting nothing, otherwise.
func (t *sqlTx) CreateTransactionForUser(ctx context.Context, x Transaction) (bool, error) {
	q, args := createForUserSQL(x)
	if t.b != nil {
		return t.batchExec(ctx, q, args...)
	}
	rows, err := t.exec(ctx, q, args...)
	return rows == 1, err
}

// createForUserSQL is CreateTransactionForUser's statement and arguments.
func createForUserSQL(x Transaction) (string, []any) {
	if x.Status == "" {
		x.Status = StatusPending
	}
	// The CASTs give PostgreSQL the parameter types (a SELECT list does not
	// take them from the INSERT's columns); SQLite accepts them as written.
	const s, n = "CAST(? AS TEXT), ", "CAST(? AS BIGINT)"
	return "INSERT INTO transactions (" + txCols + ") SELECT " +
			s + s + s + s + s + s + s + s + s + s + s + s + s + n + ", " + n + ", " + n + ", " + s + "CAST(? AS TEXT) WHERE EXISTS (SELECT 1 FROM users WHERE id = ? AND disabled = 0)" +
			" AND NOT EXISTS (SELECT 1 FROM user_suspensions WHERE user_id = ? AND until_ms > ?)",
		[]any{x.ID, x.OTPHash, x.APIClientID, x.Type, x.Message, x.CallbackURI, x.LanguageCode, x.BoundUserID,
			x.Status, x.Nonce, x.ProfileID, x.EnrollmentID, x.UserID, x.CreatedAt, x.ExpiresAt, x.AnsweredAt, x.Extras, x.Outcome, x.BoundUserID, x.BoundUserID, x.CreatedAt}
}

const joinedEnrollmentCols = "e.id, e.profile_id, e.client_id, e.user_id, e.public_key, e.certificate, e.created_at"

const joinedTxCols = "t.id, t.otp_hash, t.api_client_id, t.type, t.message, t.callback_uri, t.language_code, t.bound_user_id, t.status, t.nonce, t.profile_id, t.enrollment_id, t.user_id, t.created_at, t.expires_at, t.answered_at, t.extras, t.outcome"

// scanJoined scans a transaction and a LEFT JOINed enrollment (absent: ok false).
func scanJoined(r scanner) (Transaction, Enrollment, bool, error) {
	var (
		x                                   Transaction
		eID, eProfile, eClient, eUser, eKey sql.NullString
		eCert                               sql.NullString
		eCreated                            sql.NullInt64
	)
	err := r.Scan(&x.ID, &x.OTPHash, &x.APIClientID, &x.Type, &x.Message, &x.CallbackURI, &x.LanguageCode, &x.BoundUserID,
		&x.Status, &x.Nonce, &x.ProfileID, &x.EnrollmentID, &x.UserID, &x.CreatedAt, &x.ExpiresAt, &x.AnsweredAt, &x.Extras, &x.Outcome,
		&eID, &eProfile, &eClient, &eUser, &eKey, &eCert, &eCreated)
	if err != nil {
		return Transaction{}, Enrollment{}, false, noRow(err)
	}
	if !eID.Valid {
		return x, Enrollment{}, false, nil
	}
	return x, Enrollment{ID: eID.String, ProfileID: eProfile.String, ClientID: eClient.String, UserID: eUser.String,
		PublicKey: eKey.String, Certificate: eCert.String, CreatedAt: eCreated.Int64}, true, nil
}

// GetTransactionForClaim reads, in one query, the transaction with otpHash
// and the first enrollment (by created_at, id — the order of
// EnrollmentsOfProfile) of profileID on clientID. ErrNotFound when there is
// no such transaction; found false when there is no such enrollment.
func (t *sqlTx) GetTransactionForClaim(ctx context.Context, otpHash, profileID, clientID string) (Transaction, Enrollment, bool, error) {
	return scanJoined(t.row(ctx, "SELECT "+joinedTxCols+", "+joinedEnrollmentCols+
		" FROM transactions t LEFT JOIN enrollments e ON e.profile_id = ? AND e.client_id = ? WHERE t.otp_hash = ? ORDER BY e.created_at, e.id LIMIT 1",
		profileID, clientID, otpHash))
}

// GetTransactionWithEnrollment reads, in one query, transaction id and the
// enrollment that claimed it. ErrNotFound when there is no such transaction;
// found false when it is unclaimed or its enrollment no longer exists.
func (t *sqlTx) GetTransactionWithEnrollment(ctx context.Context, id string) (Transaction, Enrollment, bool, error) {
	return scanJoined(t.row(ctx, "SELECT "+joinedTxCols+", "+joinedEnrollmentCols+
		" FROM transactions t LEFT JOIN enrollments e ON e.id = t.enrollment_id WHERE t.id = ?", id))
}
