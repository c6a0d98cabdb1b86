package store

import "context"

// Authenticator is a profile's user-verified key beside its PIN (issue 15).
type Authenticator struct {
	ProfileID string
	Type      string // protocol.AuthenticatorBiometric
	ClientID  string
	PublicKey string // wire form
	CreatedAt int64
}

// Challenge is a single-use biometric login challenge, stored by hash.
type Challenge struct {
	Hash      string
	ProfileID string
	ClientID  string
	ExpiresAt int64
}

// PutAuthenticator creates or replaces the profile's authenticator of a.Type.
func (t *sqlTx) PutAuthenticator(ctx context.Context, a Authenticator) error {
	if _, err := t.exec(ctx, "DELETE FROM authenticators WHERE profile_id = ? AND type = ?", a.ProfileID, a.Type); err != nil {
		return err
	}
	_, err := t.exec(ctx, "INSERT INTO authenticators (profile_id, type, client_id, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
		a.ProfileID, a.Type, a.ClientID, a.PublicKey, a.CreatedAt)
	return err
}

// GetAuthenticator returns the profile's authenticator of typ or ErrNotFound.
func (t *sqlTx) GetAuthenticator(ctx context.Context, profileID, typ string) (Authenticator, error) {
	var a Authenticator
	err := t.row(ctx, "SELECT profile_id, type, client_id, public_key, created_at FROM authenticators WHERE profile_id = ? AND type = ?", profileID, typ).
		Scan(&a.ProfileID, &a.Type, &a.ClientID, &a.PublicKey, &a.CreatedAt)
	return a, noRow(err)
}

// DeleteAuthenticator removes the profile's authenticator of typ and its
// open challenges; false when there was none.
func (t *sqlTx) DeleteAuthenticator(ctx context.Context, profileID, typ string) (bool, error) {
	n, err := t.exec(ctx, "DELETE FROM authenticators WHERE profile_id = ? AND type = ?", profileID, typ)
	if err != nil {
		return false, err
	}
	_, err = t.exec(ctx, "DELETE FROM authn_challenges WHERE profile_id = ?", profileID)
	return n == 1, err
}

// CreateChallenge stores a challenge.
func (t *sqlTx) CreateChallenge(ctx context.Context, c Challenge) error {
	_, err := t.exec(ctx, "INSERT INTO authn_challenges (hash, profile_id, client_id, expires_at) VALUES (?, ?, ?, ?)", c.Hash, c.ProfileID, c.ClientID, c.ExpiresAt)
	return err
}

// TakeChallenge deletes and returns the challenge with hash (ErrNotFound
// when none): a challenge is used at most once.
func (t *sqlTx) TakeChallenge(ctx context.Context, hash string) (Challenge, error) {
	var c Challenge
	err := t.row(ctx, "DELETE FROM authn_challenges WHERE hash = ? RETURNING hash, profile_id, client_id, expires_at", hash).
		Scan(&c.Hash, &c.ProfileID, &c.ClientID, &c.ExpiresAt)
	return c, noRow(err)
}

// SetPinHash replaces the profile's PIN verifier and resets its counter.
func (t *sqlTx) SetPinHash(ctx context.Context, profileID, pinHash string) error {
	_, err := t.exec(ctx, "UPDATE profiles SET pin_hash = ?, pin_failures = 0 WHERE id = ?", pinHash, profileID)
	return err
}
