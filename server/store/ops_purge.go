package store

import "context"

// PurgeExpired removes what can no longer be used, and old history.
func (t *sqlTx) PurgeExpired(ctx context.Context, now, historyBefore int64) (int64, error) {
	var total int64
	for _, q := range []struct {
		sql string
		arg int64
	}{
		{"DELETE FROM auth_codes WHERE expires_at < ?", now},
		{"DELETE FROM custom_registrations WHERE expires_at < ?", now},
		{"DELETE FROM tokens WHERE expires_at < ?", now},
		{"DELETE FROM authn_challenges WHERE expires_at < ?", now},
		{"DELETE FROM sso_tokens WHERE expires_at < ?", now},
		{"DELETE FROM web_sessions WHERE expires_at < ?", now},
		{"DELETE FROM transactions WHERE expires_at < ?", historyBefore},
		{"DELETE FROM outbox WHERE (delivered_at <> 0 OR dead <> 0) AND created_at < ?", historyBefore},
		{"DELETE FROM audit_outbox WHERE (delivered_at <> 0 OR dead <> 0) AND created_at < ?", historyBefore},
	} {
		n, err := t.exec(ctx, q.sql, q.arg)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
