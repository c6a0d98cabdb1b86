-- Anti-fatigue and user verification (DESIGN 13, issue 14).
-- otp_types.number_matching: requests of the type carry a match code;
-- otp_types.user_verification: 'none' or 'required' (the accept carries a
-- server-verified PIN). transactions.extras: the request's immutable
-- anti-fatigue facts as JSON (match code and candidates, details, user
-- verification), '' for a request without them. transactions.outcome: how
-- it was answered as JSON (deny reason, verification factor), '' otherwise.
-- User suspensions ("this wasn't me") are settings rows (suspend:<user id>).
ALTER TABLE otp_types ADD COLUMN number_matching INTEGER NOT NULL DEFAULT 0;
ALTER TABLE otp_types ADD COLUMN user_verification TEXT NOT NULL DEFAULT 'none';
ALTER TABLE transactions ADD COLUMN extras TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
