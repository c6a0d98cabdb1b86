package store

import (
	"context"
	"encoding/json"
)

// Applications (DESIGN §10): the operator's list of apps allowed to register
// clients.

const applicationCols = "id, name, redirect_uris, platforms, versions, disabled, created_at, sso_targets"

func marshalList(s []string) string {
	b, _ := json.Marshal(nonNil(s))
	return string(b)
}

// CreateApplication inserts a (ErrConflict when the id exists).
func (t *sqlTx) CreateApplication(ctx context.Context, a Application) error {
	_, err := t.exec(ctx, "INSERT INTO applications ("+applicationCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		a.ID, a.Name, marshalList(a.RedirectURIs), marshalList(a.Platforms), marshalList(a.Versions), b2i(a.Disabled), a.CreatedAt, marshalList(a.SSOTargets))
	return err
}

// UpdateApplication replaces the mutable fields of an existing application
// (ErrNotFound when there is none).
func (t *sqlTx) UpdateApplication(ctx context.Context, a Application) error {
	n, err := t.exec(ctx, "UPDATE applications SET name = ?, redirect_uris = ?, platforms = ?, versions = ?, disabled = ?, sso_targets = ? WHERE id = ?",
		a.Name, marshalList(a.RedirectURIs), marshalList(a.Platforms), marshalList(a.Versions), b2i(a.Disabled), marshalList(a.SSOTargets), a.ID)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// DeleteApplication removes application id (ErrNotFound when there is none).
// Clients registered for it stay, but cannot log in again (the login page
// refuses a client whose application is gone or disabled).
func (t *sqlTx) DeleteApplication(ctx context.Context, id string) error {
	n, err := t.exec(ctx, "DELETE FROM applications WHERE id = ?", id)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

func scanApplication(r scanner) (Application, error) {
	var a Application
	var uris, platforms, versions, sso string
	var disabled int
	if err := r.Scan(&a.ID, &a.Name, &uris, &platforms, &versions, &disabled, &a.CreatedAt, &sso); err != nil {
		return a, noRow(err)
	}
	a.Disabled = disabled != 0
	_ = json.Unmarshal([]byte(uris), &a.RedirectURIs)
	_ = json.Unmarshal([]byte(platforms), &a.Platforms)
	_ = json.Unmarshal([]byte(versions), &a.Versions)
	_ = json.Unmarshal([]byte(sso), &a.SSOTargets)
	return a, nil
}

// GetApplication returns application id or ErrNotFound.
func (t *sqlTx) GetApplication(ctx context.Context, id string) (Application, error) {
	return scanApplication(t.row(ctx, "SELECT "+applicationCols+" FROM applications WHERE id = ?", id))
}

// ListApplications returns every application ordered by id.
func (t *sqlTx) ListApplications(ctx context.Context) ([]Application, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+applicationCols+" FROM applications ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
