package store

import "context"

// CreateClient inserts an app instance.
func (t *sqlTx) CreateClient(ctx context.Context, c Client) error {
	_, err := t.exec(ctx, "INSERT INTO clients (id, public_key, app_id, app_version, platform, redirect_uri, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		c.ID, c.PublicKey, c.AppID, c.AppVersion, c.Platform, c.RedirectURI, c.CreatedAt)
	return err
}

// GetClient returns the app instance id or ErrNotFound.
func (t *sqlTx) GetClient(ctx context.Context, id string) (Client, error) {
	var c Client
	err := t.row(ctx, "SELECT id, public_key, app_id, app_version, platform, redirect_uri, created_at FROM clients WHERE id = ?", id).
		Scan(&c.ID, &c.PublicKey, &c.AppID, &c.AppVersion, &c.Platform, &c.RedirectURI, &c.CreatedAt)
	return c, noRow(err)
}

// UseJTI records jti; false when it is already in the cache.
func (t *sqlTx) UseJTI(ctx context.Context, jti string, expiresAt int64) (bool, error) {
	n, err := t.exec(ctx, "INSERT INTO jti_cache (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING", jti, expiresAt)
	return n == 1, err
}

// PurgeJTIs deletes cache entries that expired before now.
func (t *sqlTx) PurgeJTIs(ctx context.Context, now int64) (int64, error) {
	return t.exec(ctx, "DELETE FROM jti_cache WHERE expires_at < ?", now)
}

// CreateAuthCode stores an authorization code by hash.
func (t *sqlTx) CreateAuthCode(ctx context.Context, c AuthCode) error {
	_, err := t.exec(ctx, "INSERT INTO auth_codes (code_hash, client_id, user_id, redirect_uri, code_challenge, scope, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		c.CodeHash, c.ClientID, c.UserID, c.RedirectURI, c.CodeChallenge, c.Scope, c.ExpiresAt)
	return err
}

// TakeAuthCode deletes and returns the code: a code is usable once.
func (t *sqlTx) TakeAuthCode(ctx context.Context, codeHash string) (AuthCode, error) {
	var c AuthCode
	err := t.row(ctx, "DELETE FROM auth_codes WHERE code_hash = ? RETURNING code_hash, client_id, user_id, redirect_uri, code_challenge, scope, expires_at", codeHash).
		Scan(&c.CodeHash, &c.ClientID, &c.UserID, &c.RedirectURI, &c.CodeChallenge, &c.Scope, &c.ExpiresAt)
	return c, noRow(err)
}

// GetAuthCode reads a code without spending it (ErrNotFound when none).
func (t *sqlTx) GetAuthCode(ctx context.Context, codeHash string) (AuthCode, error) {
	var c AuthCode
	err := t.row(ctx, "SELECT code_hash, client_id, user_id, redirect_uri, code_challenge, scope, expires_at FROM auth_codes WHERE code_hash = ?", codeHash).
		Scan(&c.CodeHash, &c.ClientID, &c.UserID, &c.RedirectURI, &c.CodeChallenge, &c.Scope, &c.ExpiresAt)
	return c, noRow(err)
}

// CreateProfile inserts a profile.
func (t *sqlTx) CreateProfile(ctx context.Context, p Profile) error {
	_, err := t.exec(ctx, "INSERT INTO profiles (id, client_id, user_id, pin_hash, pin_failures, scope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		p.ID, p.ClientID, p.UserID, p.PinHash, p.PinFailures, p.Scope, p.CreatedAt)
	return err
}

// GetProfile returns the profile id or ErrNotFound.
func (t *sqlTx) GetProfile(ctx context.Context, id string) (Profile, error) {
	var p Profile
	err := t.row(ctx, "SELECT id, client_id, user_id, pin_hash, pin_failures, scope, created_at FROM profiles WHERE id = ?", id).
		Scan(&p.ID, &p.ClientID, &p.UserID, &p.PinHash, &p.PinFailures, &p.Scope, &p.CreatedAt)
	return p, noRow(err)
}

// LockProfile reads the profile id and locks its row until the transaction
// ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write transactions are
// BEGIN IMMEDIATE on the single writer connection, so nothing else writes
// until this one ends). ErrNotFound when it does not exist (any more).
func (t *sqlTx) LockProfile(ctx context.Context, id string) (Profile, error) {
	var p Profile
	err := t.row(ctx, "SELECT id, client_id, user_id, pin_hash, pin_failures, scope, created_at FROM profiles WHERE id = ?"+t.d.forUpdate, id).
		Scan(&p.ID, &p.ClientID, &p.UserID, &p.PinHash, &p.PinFailures, &p.Scope, &p.CreatedAt)
	return p, noRow(err)
}

// AddPinFailure increments the profile's failure counter atomically.
func (t *sqlTx) AddPinFailure(ctx context.Context, id string) (int, error) {
	var n int
	err := t.row(ctx, "UPDATE profiles SET pin_failures = pin_failures + 1 WHERE id = ? RETURNING pin_failures", id).Scan(&n)
	return n, noRow(err)
}

// ResetPinFailures sets the counter back to zero.
func (t *sqlTx) ResetPinFailures(ctx context.Context, id string) error {
	_, err := t.exec(ctx, "UPDATE profiles SET pin_failures = 0 WHERE id = ? AND pin_failures <> 0", id)
	return err
}

// DeleteProfile removes the profile, its tokens and its enrollments. The
// profile row goes first: on PostgreSQL that takes (or waits for) its row
// lock, so a concurrent transaction that locked the profile to add a token or
// an enrollment has committed before the children are deleted, and the later
// statements (each with a fresh READ COMMITTED snapshot) see and delete what
// it added.
func (t *sqlTx) DeleteProfile(ctx context.Context, id string) error {
	for _, q := range []string{
		"DELETE FROM profiles WHERE id = ?",
		"DELETE FROM tokens WHERE profile_id = ?",
		"DELETE FROM enrollments WHERE profile_id = ?",
		"DELETE FROM authenticators WHERE profile_id = ?",
		"DELETE FROM authn_challenges WHERE profile_id = ?",
	} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

// CreateToken stores a token by hash.
func (t *sqlTx) CreateToken(ctx context.Context, k Token) error {
	amr := k.AMR
	if amr == "" {
		amr = "pin"
	}
	_, err := t.exec(ctx, "INSERT INTO tokens (hash, kind, profile_id, client_id, user_id, scope, family, used, expires_at, amr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		k.Hash, k.Kind, k.ProfileID, k.ClientID, k.UserID, k.Scope, k.Family, b2i(k.Used), k.ExpiresAt, amr)
	return err
}

// GetToken returns the token with hash or ErrNotFound.
func (t *sqlTx) GetToken(ctx context.Context, hash string) (Token, error) {
	var k Token
	var used int
	err := t.row(ctx, "SELECT hash, kind, profile_id, client_id, user_id, scope, family, used, expires_at, amr FROM tokens WHERE hash = ?", hash).
		Scan(&k.Hash, &k.Kind, &k.ProfileID, &k.ClientID, &k.UserID, &k.Scope, &k.Family, &used, &k.ExpiresAt, &k.AMR)
	k.Used = used != 0
	return k, noRow(err)
}

// MarkTokenUsed marks a refresh token as rotated; false when it already was
// (or is gone): a concurrent rotation won, or the token is being reused.
func (t *sqlTx) MarkTokenUsed(ctx context.Context, hash string) (bool, error) {
	n, err := t.exec(ctx, "UPDATE tokens SET used = 1 WHERE hash = ? AND used = 0", hash)
	return n == 1, err
}

// DeleteTokenFamily revokes every token of a family; it returns how many.
func (t *sqlTx) DeleteTokenFamily(ctx context.Context, family string) (int64, error) {
	return t.exec(ctx, "DELETE FROM tokens WHERE family = ?", family)
}

// DeleteToken removes one token.
func (t *sqlTx) DeleteToken(ctx context.Context, hash string) error {
	_, err := t.exec(ctx, "DELETE FROM tokens WHERE hash = ?", hash)
	return err
}

// DeleteProfileTokens removes every token of a profile (logout).
func (t *sqlTx) DeleteProfileTokens(ctx context.Context, profileID string) error {
	_, err := t.exec(ctx, "DELETE FROM tokens WHERE profile_id = ?", profileID)
	return err
}

// CreateEnrollment stores an enrollment.
func (t *sqlTx) CreateEnrollment(ctx context.Context, e Enrollment) error {
	_, err := t.exec(ctx, "INSERT INTO enrollments (id, profile_id, client_id, user_id, public_key, certificate, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.ID, e.ProfileID, e.ClientID, e.UserID, e.PublicKey, e.Certificate, e.CreatedAt)
	return err
}

const enrollmentCols = "id, profile_id, client_id, user_id, public_key, certificate, created_at"

func scanEnrollment(r scanner) (Enrollment, error) {
	var e Enrollment
	err := r.Scan(&e.ID, &e.ProfileID, &e.ClientID, &e.UserID, &e.PublicKey, &e.Certificate, &e.CreatedAt)
	return e, noRow(err)
}

// GetEnrollment returns the enrollment id or ErrNotFound.
func (t *sqlTx) GetEnrollment(ctx context.Context, id string) (Enrollment, error) {
	return scanEnrollment(t.row(ctx, "SELECT "+enrollmentCols+" FROM enrollments WHERE id = ?", id))
}

func (t *sqlTx) enrollments(ctx context.Context, where, arg string) ([]Enrollment, error) {
	rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT "+enrollmentCols+" FROM enrollments WHERE "+where+" = ? ORDER BY created_at, id"), arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Enrollment
	for rows.Next() {
		e, err := scanEnrollment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EnrollmentsOfUser lists a user's enrollments on every client.
func (t *sqlTx) EnrollmentsOfUser(ctx context.Context, userID string) ([]Enrollment, error) {
	return t.enrollments(ctx, "user_id", userID)
}

// EnrollmentsOfProfile lists a profile's enrollments.
func (t *sqlTx) EnrollmentsOfProfile(ctx context.Context, profileID string) ([]Enrollment, error) {
	return t.enrollments(ctx, "profile_id", profileID)
}

// DeleteEnrollment removes one enrollment.
func (t *sqlTx) DeleteEnrollment(ctx context.Context, id string) error {
	_, err := t.exec(ctx, "DELETE FROM enrollments WHERE id = ?", id)
	return err
}
