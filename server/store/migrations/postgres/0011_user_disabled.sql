-- Issue 16: an operator can disable a user (tokenserver user disable):
-- no login, no token, no answer, no request targeting them until enabled.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
