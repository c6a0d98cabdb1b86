-- App-to-web single sign-on (issue 17). applications.sso_targets: the
-- operator allow-list of target URIs (JSON array of strings, exact match)
-- an app of the application may ask a sign-on URL for. sso_tokens: one-time
-- sign-on tokens, stored by hash, bound to the client, profile, user,
-- application and target they were issued for, short-lived. web_sessions:
-- browser login sessions of the Token Server (by hash of the cookie value),
-- started by a redeemed sign-on token, honoured by the login page.
ALTER TABLE applications ADD COLUMN sso_targets TEXT NOT NULL DEFAULT '[]';
CREATE TABLE sso_tokens (token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, profile_id TEXT NOT NULL, user_id TEXT NOT NULL, app_id TEXT NOT NULL, target TEXT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX sso_tokens_expiry ON sso_tokens (expires_at);
CREATE TABLE web_sessions (session_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
