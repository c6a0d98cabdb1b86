-- Anti-fatigue and user verification (DESIGN 13, issue 14).
-- otp_types.number_matching: requests of the type carry a match code,
-- otp_types.user_verification: 'none' or 'required' (the accept carries a
-- server-verified PIN). transactions.extras: the request's immutable
-- anti-fatigue facts as JSON (match code and candidates, details, user
-- verification), '' for a request without them. transactions.outcome: how
-- it was answered as JSON (deny reason, verification factor), '' otherwise.
-- user_suspensions: a user whose user-bound requests are refused until
-- until_ms (not_me, or too many wrong number picks), the create
-- statement checks it in the same INSERT ... WHERE as the existence of the user.
ALTER TABLE otp_types ADD COLUMN number_matching INTEGER NOT NULL DEFAULT 0;
ALTER TABLE otp_types ADD COLUMN user_verification TEXT NOT NULL DEFAULT 'none';
ALTER TABLE transactions ADD COLUMN extras TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
CREATE TABLE user_suspensions (user_id TEXT PRIMARY KEY, until_ms BIGINT NOT NULL, reason TEXT NOT NULL, at BIGINT NOT NULL);
