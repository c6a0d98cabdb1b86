-- Issue 11 items 7 and 8: callbacks are signed with a per-API-client callback
-- key (rotatable, kept apart from the Basic-auth secret), and the secret is
-- stored hashed. An existing client's callback key starts as its old secret
-- (key id "legacy"), so receivers keep verifying until the operator rotates
-- it. The Go step of this migration (hashAPIClientSecrets) then replaces each
-- plaintext secret by its hash, in the same transaction.
ALTER TABLE api_clients ADD COLUMN callback_key TEXT NOT NULL DEFAULT '';
ALTER TABLE api_clients ADD COLUMN callback_key_id TEXT NOT NULL DEFAULT '';
UPDATE api_clients SET callback_key = secret, callback_key_id = 'legacy' WHERE callback_key = ''
