-- Bearer tokens of the admin REST API (tokenserver admin-token create). Only
-- the SHA-256 of a token is stored: the tokens are 32 random bytes, so a
-- plain hash is enough and a database dump reveals none. scope is read
-- (GET only) or write.
CREATE TABLE IF NOT EXISTS admin_tokens (hash TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scope TEXT NOT NULL, created_at BIGINT NOT NULL);
