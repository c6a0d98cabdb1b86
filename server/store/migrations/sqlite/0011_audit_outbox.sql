-- Issue 16: the audit webhook's durable outbox. Each audit event is queued
-- here when it is recorded and delivered, signed, by the audit worker with
-- retries (server/auditwebhook). Delivered or abandoned rows are purged
-- with the history retention.
CREATE TABLE audit_outbox (id TEXT PRIMARY KEY, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, delivered_at BIGINT NOT NULL DEFAULT 0, dead INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL);
CREATE INDEX audit_outbox_due ON audit_outbox (next_attempt_at) WHERE delivered_at = 0 AND dead = 0;
