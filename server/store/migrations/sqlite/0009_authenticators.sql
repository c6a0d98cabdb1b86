-- Biometric authenticators and PIN change (issue 15, DESIGN §14).
-- tokens.amr: how the login a token descends from was authenticated ('pin'
-- or 'biometric'). Registering an authenticator and changing the PIN need a
-- PIN login. authenticators: the user-verified public key of a profile, one
-- per type. authn_challenges: single-use biometric login challenges, stored
-- by hash, bound to a profile and a client, with a short expiry.
ALTER TABLE tokens ADD COLUMN amr TEXT NOT NULL DEFAULT 'pin';
CREATE TABLE authenticators (profile_id TEXT NOT NULL, type TEXT NOT NULL, client_id TEXT NOT NULL, public_key TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (profile_id, type)) WITHOUT ROWID;
CREATE TABLE authn_challenges (hash TEXT PRIMARY KEY, profile_id TEXT NOT NULL, client_id TEXT NOT NULL, expires_at BIGINT NOT NULL) WITHOUT ROWID;
CREATE INDEX authn_challenges_expiry ON authn_challenges (expires_at);
