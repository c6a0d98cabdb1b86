-- Push mobile authentication (DESIGN 12). An OTP type can be a push type.
-- push_targets: one push registration per mobile-auth enrollment (provider and
-- FCM or APNs token, or a Web Push subscription), marked invalid when the
-- provider says the token is unregistered. push_requests: the open push
-- requests of a user, for the pending list and the per-user limit.
-- push_users: the creation back-off state per user. push_outbox: one durable,
-- retried delivery per request and target.
ALTER TABLE otp_types ADD COLUMN push INTEGER NOT NULL DEFAULT 0;
CREATE TABLE push_targets (enrollment_id TEXT PRIMARY KEY, provider TEXT NOT NULL, token TEXT NOT NULL, endpoint TEXT NOT NULL, p256dh TEXT NOT NULL, auth TEXT NOT NULL, invalid INTEGER NOT NULL DEFAULT 0, invalid_reason TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL);
CREATE TABLE push_requests (transaction_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX push_requests_user ON push_requests (user_id, expires_at);
CREATE TABLE push_users (user_id TEXT PRIMARY KEY, last_created_at BIGINT NOT NULL, streak INTEGER NOT NULL);
CREATE TABLE push_outbox (id TEXT PRIMARY KEY, transaction_id TEXT NOT NULL, enrollment_id TEXT NOT NULL, profile_id TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, done_at BIGINT NOT NULL, outcome TEXT NOT NULL, last_error TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX push_outbox_due ON push_outbox (next_attempt_at) WHERE done_at = 0;
