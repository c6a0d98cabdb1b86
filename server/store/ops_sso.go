package store

import "context"

// App-to-web single sign-on tokens and browser login sessions (issue 17).

const ssoCols = "token_hash, client_id, profile_id, user_id, app_id, target, expires_at"

// CreateSSOToken stores a sign-on token.
func (t *sqlTx) CreateSSOToken(ctx context.Context, k SSOToken) error {
	_, err := t.exec(ctx, "INSERT INTO sso_tokens ("+ssoCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		k.Hash, k.ClientID, k.ProfileID, k.UserID, k.AppID, k.Target, k.ExpiresAt)
	return err
}

// TakeSSOToken deletes and returns the token: one statement, so of two
// concurrent redemptions exactly one gets the row (PostgreSQL's second
// DELETE waits for the first and then finds nothing; SQLite has one writer).
func (t *sqlTx) TakeSSOToken(ctx context.Context, hash string) (SSOToken, error) {
	var k SSOToken
	err := t.row(ctx, "DELETE FROM sso_tokens WHERE token_hash = ? RETURNING "+ssoCols, hash).
		Scan(&k.Hash, &k.ClientID, &k.ProfileID, &k.UserID, &k.AppID, &k.Target, &k.ExpiresAt)
	return k, noRow(err)
}

// CreateWebSession stores a browser session.
func (t *sqlTx) CreateWebSession(ctx context.Context, s WebSession) error {
	_, err := t.exec(ctx, "INSERT INTO web_sessions (session_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		s.Hash, s.UserID, s.CreatedAt, s.ExpiresAt)
	return err
}

// GetWebSession returns the session with hash or ErrNotFound (expired ones
// too: the caller checks ExpiresAt).
func (t *sqlTx) GetWebSession(ctx context.Context, hash string) (WebSession, error) {
	var s WebSession
	err := t.row(ctx, "SELECT session_hash, user_id, created_at, expires_at FROM web_sessions WHERE session_hash = ?", hash).
		Scan(&s.Hash, &s.UserID, &s.CreatedAt, &s.ExpiresAt)
	return s, noRow(err)
}

// DeleteWebSession removes a session (no error when there is none).
func (t *sqlTx) DeleteWebSession(ctx context.Context, hash string) error {
	_, err := t.exec(ctx, "DELETE FROM web_sessions WHERE session_hash = ?", hash)
	return err
}

// EndWebSessionsOfUser removes every browser session of userID: a session
// stands in for the password on the login page, so it ends with the user
// (deleted: the id, a user name, may be given to someone else), when the
// user is disabled, and when the operator resets their devices (a lost
// phone's browser holds the session).
func (t *sqlTx) EndWebSessionsOfUser(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, "DELETE FROM web_sessions WHERE user_id = ?", userID)
	return err
}
