package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"strings"
)

// API-client secrets are stored hashed (DESIGN §10): "sha256$" + base64url
// salt (16 random bytes) + "$" + base64url SHA-256(salt || secret). A fast
// hash is enough because secrets are long: generated ones carry 32 random
// bytes and an operator's own must have at least MinAPISecretLen characters
// (server.Admin); the relying-party API verifies one on every request.

const apiSecretScheme = "sha256$"

// HashAPISecret returns the stored form of an API-client secret.
func HashAPISecret(secret string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	return apiSecretScheme + base64.RawURLEncoding.EncodeToString(salt) + "$" + base64.RawURLEncoding.EncodeToString(saltedSHA256(salt, secret))
}

func saltedSHA256(salt []byte, secret string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(secret))
	return h.Sum(nil)
}

// VerifyAPISecret reports, in time independent of where they differ,
// whether secret matches the stored form (false for a malformed one). The
// relying-party API calls it on every request, so it works in stack buffers
// (no allocation for a stored form of this package and a secret of up to
// 256 bytes; a longer salt or secret takes the allocating path); apisecret_test.go checks it
// against the plain decode-hash-compare.
func VerifyAPISecret(stored, secret string) bool {
	rest, ok := strings.CutPrefix(stored, apiSecretScheme)
	if !ok {
		return false
	}
	s, h, ok := strings.Cut(rest, "$")
	// base64url without padding: 43 characters hold exactly 32 bytes, any
	// other length decodes to another size or fails.
	if !ok || len(h) != 43 {
		return false
	}
	var src [64]byte
	var saltBuf [48]byte
	var salt []byte
	if len(s) <= len(src) {
		n, err := base64.RawURLEncoding.Decode(saltBuf[:], src[:copy(src[:], s)])
		if err != nil {
			return false
		}
		salt = saltBuf[:n]
	} else {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			return false
		}
		salt = b
	}
	var want [sha256.Size]byte
	if n, err := base64.RawURLEncoding.Decode(want[:], src[:copy(src[:], h)]); err != nil || n != sha256.Size {
		return false
	}
	var got [sha256.Size]byte
	var msg [48 + 256]byte
	if len(salt)+len(secret) <= len(msg) {
		copy(msg[copy(msg[:], salt):], secret)
		got = sha256.Sum256(msg[:len(salt)+len(secret)])
	} else {
		copy(got[:], saltedSHA256(salt, secret))
	}
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// IsHashedAPISecret reports whether stored is in the hashed form.
func IsHashedAPISecret(stored string) bool { return strings.HasPrefix(stored, apiSecretScheme) }

// hashAPIClientSecrets is the Go step of migration 0005: it replaces every
// plaintext API-client secret by its hash (the SQL step first copied it to
// the callback key, so existing callback receivers keep verifying).
func hashAPIClientSecrets(ctx context.Context, tx *sql.Tx, d *dialect) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, secret FROM api_clients")
	if err != nil {
		return err
	}
	plain := map[string]string{}
	for rows.Next() {
		var id, secret string
		if err := rows.Scan(&id, &secret); err != nil {
			_ = rows.Close()
			return err
		}
		if !IsHashedAPISecret(secret) {
			plain[id] = secret
		}
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, secret := range plain {
		if _, err := tx.ExecContext(ctx, d.q("UPDATE api_clients SET secret = ? WHERE id = ?"), HashAPISecret(secret), id); err != nil {
			return err
		}
	}
	return nil
}

// goMigrations are Go steps run right after the SQL migration of that name,
// in the same transaction.
var goMigrations = map[string]func(context.Context, *sql.Tx, *dialect) error{
	"0005_api_client_keys.sql": hashAPIClientSecrets,
}
