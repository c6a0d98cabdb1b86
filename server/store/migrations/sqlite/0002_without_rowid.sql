-- Fewer B-trees per insert, so fewer WAL frames per commit: the hot tables
-- are clustered on their primary key (WITHOUT ROWID), and the replay cache
-- loses its expiry index (the purge scans a table holding two minutes of
-- proofs once a minute).
CREATE TABLE jti_cache_new (jti TEXT PRIMARY KEY, expires_at BIGINT NOT NULL) WITHOUT ROWID;
INSERT INTO jti_cache_new (jti, expires_at) SELECT jti, expires_at FROM jti_cache;
DROP TABLE jti_cache;
ALTER TABLE jti_cache_new RENAME TO jti_cache;
CREATE TABLE transactions_new (id TEXT PRIMARY KEY, otp_hash TEXT NOT NULL UNIQUE, api_client_id TEXT NOT NULL, type TEXT NOT NULL, message TEXT NOT NULL, callback_uri TEXT NOT NULL, language_code TEXT NOT NULL, bound_user_id TEXT NOT NULL, status TEXT NOT NULL, nonce TEXT NOT NULL, profile_id TEXT NOT NULL, enrollment_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, answered_at BIGINT NOT NULL) WITHOUT ROWID;
INSERT INTO transactions_new SELECT id, otp_hash, api_client_id, type, message, callback_uri, language_code, bound_user_id, status, nonce, profile_id, enrollment_id, user_id, created_at, expires_at, answered_at FROM transactions;
DROP TABLE transactions;
ALTER TABLE transactions_new RENAME TO transactions;
CREATE TABLE outbox_new (id TEXT PRIMARY KEY, api_client_id TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at BIGINT NOT NULL, delivered_at BIGINT NOT NULL, dead INTEGER NOT NULL, last_error TEXT NOT NULL, created_at BIGINT NOT NULL) WITHOUT ROWID;
INSERT INTO outbox_new SELECT id, api_client_id, url, body, attempts, next_attempt_at, delivered_at, dead, last_error, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at = 0 AND dead = 0;
