-- Less work per OTP flow on PostgreSQL. A transaction row is updated twice
-- after its insert (claim, answer) and no indexed column changes: with free
-- room on its page the updates are HOT (heap-only, no index entries, less
-- WAL). The replay cache loses its expiry index, as on SQLite (0002): one
-- B-tree less per proof, and the purge scans a table holding two minutes of
-- proofs once a minute.
ALTER TABLE transactions SET (fillfactor = 70);
DROP INDEX IF EXISTS jti_cache_exp;
