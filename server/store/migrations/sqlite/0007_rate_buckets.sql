-- Rate-limit token buckets in the store (see the PostgreSQL variant). A
-- SQLite store has one server instance, which keeps its buckets in memory:
-- the table exists so both dialects have the same schema and store.TakeToken
-- works (and is tested) on both.
CREATE TABLE IF NOT EXISTS rate_buckets (name TEXT NOT NULL, key TEXT NOT NULL, tokens REAL NOT NULL, updated_at BIGINT NOT NULL, full_at BIGINT NOT NULL, PRIMARY KEY (name, key));
CREATE INDEX IF NOT EXISTS rate_buckets_full ON rate_buckets (full_at);
