-- Applications (DESIGN §10): configured by the operator. A client can only
-- register for an enabled one, with one of its redirect URIs (exact match).
-- redirect_uris, platforms and versions are JSON arrays of strings (empty
-- platforms or versions allow any).
CREATE TABLE applications (id TEXT PRIMARY KEY, name TEXT NOT NULL, redirect_uris TEXT NOT NULL, platforms TEXT NOT NULL, versions TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL);
