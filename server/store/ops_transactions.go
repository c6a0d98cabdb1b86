package store

import "context"

const txCols = "id, otp_hash, api_client_id, type, message, callback_uri, language_code, bound_user_id, status, nonce, profile_id, enrollment_id, user_id, created_at, expires_at, answered_at, extras, outcome"

func scanTransaction(r scanner) (Transaction, error) {
	var x Transaction
	err := r.Scan(&x.ID, &x.OTPHash, &x.APIClientID, &x.Type, &x.Message, &x.CallbackURI, &x.LanguageCode, &x.BoundUserID,
		&x.Status, &x.Nonce, &x.ProfileID, &x.EnrollmentID, &x.UserID, &x.CreatedAt, &x.ExpiresAt, &x.AnsweredAt, &x.Extras, &x.Outcome)
	return x, noRow(err)
}

// CreateTransaction inserts a new transaction.
func (t *sqlTx) CreateTransaction(ctx context.Context, x Transaction) error {
	if x.Status == "" {
		x.Status = StatusPending
	}
	_, err := t.exec(ctx, "INSERT INTO transactions ("+txCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		x.ID, x.OTPHash, x.APIClientID, x.Type, x.Message, x.CallbackURI, x.LanguageCode, x.BoundUserID,
		x.Status, x.Nonce, x.ProfileID, x.EnrollmentID, x.UserID, x.CreatedAt, x.ExpiresAt, x.AnsweredAt, x.Extras, x.Outcome)
	return err
}

// GetTransaction returns the transaction id or ErrNotFound.
func (t *sqlTx) GetTransaction(ctx context.Context, id string) (Transaction, error) {
	return scanTransaction(t.row(ctx, "SELECT "+txCols+" FROM transactions WHERE id = ?", id))
}

// GetTransactionByOTPHash finds a transaction by the hash of its OTP.
func (t *sqlTx) GetTransactionByOTPHash(ctx context.Context, otpHash string) (Transaction, error) {
	return scanTransaction(t.row(ctx, "SELECT "+txCols+" FROM transactions WHERE otp_hash = ?", otpHash))
}

// ClaimTransaction: pending and unexpired → claimed, in one conditional update.
func (t *sqlTx) ClaimTransaction(ctx context.Context, id, profileID, enrollmentID, userID, nonce string, now int64) (bool, error) {
	n, err := t.exec(ctx, "UPDATE transactions SET status = ?, profile_id = ?, enrollment_id = ?, user_id = ?, nonce = ? WHERE id = ? AND status = ? AND expires_at > ?",
		StatusClaimed, profileID, enrollmentID, userID, nonce, id, StatusPending, now)
	return n == 1, err
}

// AnswerTransaction: claimed by enrollmentID and unexpired → status, once.
func (t *sqlTx) AnswerTransaction(ctx context.Context, id, enrollmentID, status string, now int64) (bool, error) {
	n, err := t.exec(ctx, "UPDATE transactions SET status = ?, answered_at = ? WHERE id = ? AND status = ? AND enrollment_id = ? AND expires_at > ?",
		status, now, id, StatusClaimed, enrollmentID, now)
	return n == 1, err
}

// AnswerTransactionOutcome: claimed by enrollmentID with nonce and unexpired
// → status with outcome, once.
func (t *sqlTx) AnswerTransactionOutcome(ctx context.Context, id, enrollmentID, nonce, status, outcome string, now int64) (bool, error) {
	n, err := t.exec(ctx, "UPDATE transactions SET status = ?, answered_at = ?, outcome = ? WHERE id = ? AND status = ? AND enrollment_id = ? AND nonce = ? AND expires_at > ?",
		status, now, outcome, id, StatusClaimed, enrollmentID, nonce, now)
	return n == 1, err
}
