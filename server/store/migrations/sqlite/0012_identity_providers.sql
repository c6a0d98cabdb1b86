-- Identity providers (issue 17): per application, the built-in browser one
-- (kind browser: the login page) or custom-registration ones (kind custom)
-- whose init/complete exchange goes to the operator's backend at url, signed
-- with the per-IdP webhook key (HMAC-SHA256, needed in clear to sign, as the
-- API clients' callback keys).
CREATE TABLE identity_providers (id TEXT NOT NULL, app_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, url TEXT NOT NULL, webhook_key TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (app_id, id));
-- A custom registration between init and complete: single use, short-lived,
-- bound to the client, the identity provider, the scope and the PKCE
-- challenge. Stored by hash of the session token.
CREATE TABLE custom_registrations (session_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, app_id TEXT NOT NULL, idp_id TEXT NOT NULL, scope TEXT NOT NULL, code_challenge TEXT NOT NULL, backend_ref TEXT NOT NULL, expires_at BIGINT NOT NULL);
