package secrethash

import (
	"crypto/sha256"
	"encoding/hex"
)

// Token is how bearer-like secrets (access/refresh tokens, authorization
// codes) are stored: hex SHA-256 (they carry 256 random bits).
func Token(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
