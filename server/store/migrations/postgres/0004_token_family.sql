-- Refresh-token rotation with reuse detection (issue 11, item 10): every
-- token belongs to a family (one login or PIN authentication and its
-- rotations). A rotated refresh token is kept, marked used, until it expires,
-- so presenting it again revokes the whole family. Tokens issued before this
-- migration form one family per profile. Profiles remember the scope granted
-- at registration, which later PIN logins issue again.
ALTER TABLE tokens ADD COLUMN family TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN used INTEGER NOT NULL DEFAULT 0;
UPDATE tokens SET family = profile_id WHERE family = '';
CREATE INDEX tokens_family ON tokens (family);
ALTER TABLE profiles ADD COLUMN scope TEXT NOT NULL DEFAULT 'openid';
