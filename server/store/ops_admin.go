package store

import (
	"context"
	"encoding/json"
)

// GetSetting returns the value of key or ErrNotFound.
func (t *sqlTx) GetSetting(ctx context.Context, key string) (string, error) {
	var v string
	err := t.row(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	return v, noRow(err)
}

// PutSetting inserts or replaces key.
func (t *sqlTx) PutSetting(ctx context.Context, key, value string) error {
	_, err := t.exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// InsertSetting stores key only if it is absent.
func (t *sqlTx) InsertSetting(ctx context.Context, key, value string) (bool, error) {
	n, err := t.exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value)
	return n == 1, err
}

// DeleteSetting removes key (absent is not an error).
func (t *sqlTx) DeleteSetting(ctx context.Context, key string) error {
	_, err := t.exec(ctx, "DELETE FROM settings WHERE key = ?", key)
	return err
}

// CreateAPIClient inserts c (ErrConflict when the id exists).
func (t *sqlTx) CreateAPIClient(ctx context.Context, c APIClient) error {
	uris, _ := json.Marshal(nonNil(c.CallbackURIs))
	_, err := t.exec(ctx, "INSERT INTO api_clients (id, secret, callback_uris, max_message_len, disabled, created_at, callback_key, callback_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		c.ID, c.SecretHash, string(uris), c.MaxMessageLen, b2i(c.Disabled), c.CreatedAt, c.CallbackKey, c.CallbackKeyID)
	return err
}

// UpdateAPIClient replaces the mutable fields of an existing API client.
func (t *sqlTx) UpdateAPIClient(ctx context.Context, c APIClient) error {
	uris, _ := json.Marshal(nonNil(c.CallbackURIs))
	n, err := t.exec(ctx, "UPDATE api_clients SET secret = ?, callback_uris = ?, max_message_len = ?, disabled = ?, callback_key = ?, callback_key_id = ? WHERE id = ?",
		c.SecretHash, string(uris), c.MaxMessageLen, b2i(c.Disabled), c.CallbackKey, c.CallbackKeyID, c.ID)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

const apiClientCols = "id, secret, callback_uris, max_message_len, disabled, created_at, callback_key, callback_key_id"

type scanner interface{ Scan(dest ...any) error }

func scanAPIClient(r scanner) (APIClient, error) {
	var c APIClient
	var uris string
	var disabled int
	if err := r.Scan(&c.ID, &c.SecretHash, &uris, &c.MaxMessageLen, &disabled, &c.CreatedAt, &c.CallbackKey, &c.CallbackKeyID); err != nil {
		return c, noRow(err)
	}
	c.Disabled = disabled != 0
	_ = json.Unmarshal([]byte(uris), &c.CallbackURIs)
	return c, nil
}

// GetAPIClient returns the API client id or ErrNotFound.
func (t *sqlTx) GetAPIClient(ctx context.Context, id string) (APIClient, error) {
	return scanAPIClient(t.row(ctx, "SELECT "+apiClientCols+" FROM api_clients WHERE id = ?", id))
}

// ListAPIClients returns every API client ordered by id.
func (t *sqlTx) ListAPIClients(ctx context.Context) ([]APIClient, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+apiClientCols+" FROM api_clients ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIClient
	for rows.Next() {
		c, err := scanAPIClient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PutOTPType inserts or replaces an OTP type.
func (t *sqlTx) PutOTPType(ctx context.Context, o OTPType) error {
	_, err := t.exec(ctx, "INSERT INTO otp_types (name, expiry_secs, message_template, disabled, push, number_matching, user_verification) VALUES (?, ?, ?, ?, ?, ?, ?) "+
		"ON CONFLICT (name) DO UPDATE SET expiry_secs = excluded.expiry_secs, message_template = excluded.message_template, disabled = excluded.disabled, push = excluded.push, "+
		"number_matching = excluded.number_matching, user_verification = excluded.user_verification",
		o.Name, o.ExpirySecs, o.MessageTemplate, b2i(o.Disabled), b2i(o.Push), b2i(o.NumberMatching), uvOrNone(o.UserVerification))
	return err
}

func scanOTPType(r scanner) (OTPType, error) {
	var o OTPType
	var disabled, push, nm int
	if err := r.Scan(&o.Name, &o.ExpirySecs, &o.MessageTemplate, &disabled, &push, &nm, &o.UserVerification); err != nil {
		return o, noRow(err)
	}
	o.NumberMatching = nm != 0
	o.Disabled = disabled != 0
	o.Push = push != 0
	return o, nil
}

// GetOTPType returns the OTP type name or ErrNotFound.
func (t *sqlTx) GetOTPType(ctx context.Context, name string) (OTPType, error) {
	return scanOTPType(t.row(ctx, "SELECT name, expiry_secs, message_template, disabled, push, number_matching, user_verification FROM otp_types WHERE name = ?", name))
}

// ListOTPTypes returns every OTP type ordered by name.
func (t *sqlTx) ListOTPTypes(ctx context.Context) ([]OTPType, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT name, expiry_secs, message_template, disabled, push, number_matching, user_verification FROM otp_types ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OTPType
	for rows.Next() {
		o, err := scanOTPType(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CreateUser inserts u (ErrConflict when the id exists).
func (t *sqlTx) CreateUser(ctx context.Context, u User) error {
	_, err := t.exec(ctx, "INSERT INTO users (id, password_hash, created_at) VALUES (?, ?, ?)", u.ID, u.PasswordHash, u.CreatedAt)
	return err
}

// GetUser returns the user id or ErrNotFound.
func (t *sqlTx) GetUser(ctx context.Context, id string) (User, error) {
	var u User
	var disabled int
	err := t.row(ctx, "SELECT id, password_hash, created_at, disabled FROM users WHERE id = ?", id).Scan(&u.ID, &u.PasswordHash, &u.CreatedAt, &disabled)
	u.Disabled = disabled != 0
	return u, noRow(err)
}

// LockUser locks the user's row until the transaction ends (PostgreSQL).
func (t *sqlTx) LockUser(ctx context.Context, id string) error {
	var got string
	return noRow(t.row(ctx, "SELECT id FROM users WHERE id = ?"+t.d.forUpdate, id).Scan(&got))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// uvOrNone stores an unset user verification as "none".
func uvOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
