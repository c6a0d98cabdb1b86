package store

import "context"

// Identity providers of applications and custom registration sessions
// (issue 17).

const idpCols = "id, app_id, name, kind, url, webhook_key, created_at"

// CreateIdentityProvider inserts p (ErrConflict when the application has
// one with this id).
func (t *sqlTx) CreateIdentityProvider(ctx context.Context, p IdentityProvider) error {
	_, err := t.exec(ctx, "INSERT INTO identity_providers ("+idpCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		p.ID, p.AppID, p.Name, p.Kind, p.URL, p.WebhookKey, p.CreatedAt)
	return err
}

func scanIdP(r scanner) (IdentityProvider, error) {
	var p IdentityProvider
	err := r.Scan(&p.ID, &p.AppID, &p.Name, &p.Kind, &p.URL, &p.WebhookKey, &p.CreatedAt)
	return p, noRow(err)
}

// GetIdentityProvider returns application appID's identity provider id or
// ErrNotFound.
func (t *sqlTx) GetIdentityProvider(ctx context.Context, appID, id string) (IdentityProvider, error) {
	return scanIdP(t.row(ctx, "SELECT "+idpCols+" FROM identity_providers WHERE app_id = ? AND id = ?", appID, id))
}

// ListIdentityProviders lists application appID's identity providers, or
// every application's when appID is "".
func (t *sqlTx) ListIdentityProviders(ctx context.Context, appID string) ([]IdentityProvider, error) {
	q, args := "SELECT "+idpCols+" FROM identity_providers ORDER BY app_id, id", []any{}
	if appID != "" {
		q, args = "SELECT "+idpCols+" FROM identity_providers WHERE app_id = ? ORDER BY id", []any{appID}
	}
	rows, err := t.tx.QueryContext(ctx, t.d.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IdentityProvider
	for rows.Next() {
		p, err := scanIdP(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetIdentityProviderWebhookKey replaces the stored webhook key.
func (t *sqlTx) SetIdentityProviderWebhookKey(ctx context.Context, appID, id, key string) error {
	n, err := t.exec(ctx, "UPDATE identity_providers SET webhook_key = ? WHERE app_id = ? AND id = ?", key, appID, id)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// DeleteIdentityProvider removes it (ErrNotFound when there is none) with
// its open custom registrations.
func (t *sqlTx) DeleteIdentityProvider(ctx context.Context, appID, id string) error {
	n, err := t.exec(ctx, "DELETE FROM identity_providers WHERE app_id = ? AND id = ?", appID, id)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	if err == nil {
		_, err = t.exec(ctx, "DELETE FROM custom_registrations WHERE app_id = ? AND idp_id = ?", appID, id)
	}
	return err
}

const customRegCols = "session_hash, client_id, app_id, idp_id, scope, code_challenge, backend_ref, expires_at"

// CreateCustomRegistration stores a custom registration session.
func (t *sqlTx) CreateCustomRegistration(ctx context.Context, c CustomRegistration) error {
	_, err := t.exec(ctx, "INSERT INTO custom_registrations ("+customRegCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		c.SessionHash, c.ClientID, c.AppID, c.IdPID, c.Scope, c.CodeChallenge, c.BackendRef, c.ExpiresAt)
	return err
}

// TakeCustomRegistration deletes and returns the session: usable once.
func (t *sqlTx) TakeCustomRegistration(ctx context.Context, sessionHash string) (CustomRegistration, error) {
	var c CustomRegistration
	err := t.row(ctx, "DELETE FROM custom_registrations WHERE session_hash = ? RETURNING "+customRegCols, sessionHash).
		Scan(&c.SessionHash, &c.ClientID, &c.AppID, &c.IdPID, &c.Scope, &c.CodeChallenge, &c.BackendRef, &c.ExpiresAt)
	return c, noRow(err)
}
