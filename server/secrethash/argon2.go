package secrethash

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters for PINs and passwords.
type Params struct {
	Time      uint32 // iterations
	MemoryKiB uint32
	Threads   uint8
}

// DefaultParams is strong enough for production (OWASP's argon2id minimum:
// 19 MiB, 2 iterations, 1 lane).
var DefaultParams = Params{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}

// CheapParams is for tests only.
var CheapParams = Params{Time: 1, MemoryKiB: 64, Threads: 1}

var b64 = base64.RawStdEncoding

// Hash returns an encoded argon2id hash of secret with a random salt:
// $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func Hash(p Params, secret string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	sum := argon2.IDKey([]byte(secret), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum))
}

// ErrBadHash is returned for a stored hash this package cannot read.
var ErrBadHash = errors.New("secrethash: unreadable password hash")

// Verify checks secret against an encoded hash (parameters are read from
// the hash, so old hashes keep working when the defaults change).
func Verify(encoded, secret string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var v int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 {
		return false, ErrBadHash
	}
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(secret), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyVerify spends the time of one verification, so an unknown user name
// takes as long as a wrong password.
func DummyVerify(p Params) {
	_ = argon2.IDKey([]byte("x"), []byte("0123456789abcdef"), p.Time, p.MemoryKiB, p.Threads, 32)
}
