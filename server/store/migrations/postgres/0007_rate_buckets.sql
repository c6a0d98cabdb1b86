-- Rate-limit token buckets shared by every server instance on this database
-- (server/ratelimit through store.TakeToken). UNLOGGED: no WAL, so taking a
-- token never waits for a WAL flush. After a PostgreSQL crash the table is
-- empty, which only refills every bucket. key is a hash of the limited
-- value (IP, user name, client id), never the value itself.
CREATE UNLOGGED TABLE IF NOT EXISTS rate_buckets (name TEXT NOT NULL, key TEXT NOT NULL, tokens DOUBLE PRECISION NOT NULL, updated_at BIGINT NOT NULL, full_at BIGINT NOT NULL, PRIMARY KEY (name, key));
CREATE INDEX IF NOT EXISTS rate_buckets_full ON rate_buckets (full_at);
