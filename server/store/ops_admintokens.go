package store

import (
	"context"
	"database/sql"
	"errors"
)

// AdminToken is a bearer token of the admin REST API (its hash only).
type AdminToken struct {
	Hash      string // hex SHA-256 of the token
	Name      string // who holds it; named in audit records
	Scope     string // "read" or "write"
	CreatedAt int64  // unix ms
}

func sqlOf(s Store) (*sqlStore, error) {
	st, ok := s.(*sqlStore)
	if !ok {
		return nil, errors.New("store: admin tokens need a store of this package")
	}
	return st, nil
}

// CreateAdminToken stores t; ErrConflict when its name (or hash) exists.
func CreateAdminToken(ctx context.Context, s Store, t AdminToken) error {
	st, err := sqlOf(s)
	if err != nil {
		return err
	}
	_, err = st.writer.ExecContext(ctx, st.d.q("INSERT INTO admin_tokens (hash, name, scope, created_at) VALUES (?, ?, ?, ?)"), t.Hash, t.Name, t.Scope, t.CreatedAt)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	return err
}

// AdminTokenByHash finds the token with hash (ErrNotFound when none).
func AdminTokenByHash(ctx context.Context, s Store, hash string) (AdminToken, error) {
	st, err := sqlOf(s)
	if err != nil {
		return AdminToken{}, err
	}
	t := AdminToken{Hash: hash}
	err = st.reader.QueryRowContext(ctx, st.d.q("SELECT name, scope, created_at FROM admin_tokens WHERE hash = ?"), hash).Scan(&t.Name, &t.Scope, &t.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return AdminToken{}, ErrNotFound
	}
	return t, err
}

// ListAdminTokens lists the tokens by name (hashes included).
func ListAdminTokens(ctx context.Context, s Store) ([]AdminToken, error) {
	st, err := sqlOf(s)
	if err != nil {
		return nil, err
	}
	rows, err := st.reader.QueryContext(ctx, "SELECT hash, name, scope, created_at FROM admin_tokens ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdminToken
	for rows.Next() {
		var t AdminToken
		if err := rows.Scan(&t.Hash, &t.Name, &t.Scope, &t.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAdminToken revokes the token called name (ErrNotFound when none).
func DeleteAdminToken(ctx context.Context, s Store, name string) error {
	st, err := sqlOf(s)
	if err != nil {
		return err
	}
	r, err := st.writer.ExecContext(ctx, st.d.q("DELETE FROM admin_tokens WHERE name = ?"), name)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// ListUsers lists up to limit identity-provider users with an id after
// after, by id (password hashes not read).
func ListUsers(ctx context.Context, s Store, after string, limit int) ([]User, error) {
	st, err := sqlOf(s)
	if err != nil {
		return nil, err
	}
	rows, err := st.reader.QueryContext(ctx, st.d.q("SELECT id, created_at, disabled FROM users WHERE id > ? ORDER BY id LIMIT ?"), after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var disabled int
		if err := rows.Scan(&u.ID, &u.CreatedAt, &disabled); err != nil {
			return nil, err
		}
		u.Disabled = disabled != 0
		out = append(out, u)
	}
	return out, rows.Err()
}
