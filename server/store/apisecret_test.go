package store

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"testing"
)

// verifyAPISecretPlain is the straightforward form of VerifyAPISecret
// (decode both parts, hash salt || secret, compare), the reference the
// stack-buffer version must agree with.
func verifyAPISecretPlain(stored, secret string) bool {
	rest, ok := strings.CutPrefix(stored, apiSecretScheme)
	if !ok {
		return false
	}
	s, h, ok := strings.Cut(rest, "$")
	if !ok {
		return false
	}
	salt, err1 := base64.RawURLEncoding.DecodeString(s)
	want, err2 := base64.RawURLEncoding.DecodeString(h)
	if err1 != nil || err2 != nil || len(want) != sha256.Size {
		return false
	}
	return subtle.ConstantTimeCompare(saltedSHA256(salt, secret), want) == 1
}

func TestVerifyAPISecretMatchesPlainForm(t *testing.T) {
	good := "plain-secret-0123456789abcdefghij"
	long := strings.Repeat("s", 300) // beyond the stack buffer
	stored := HashAPISecret(good)
	storedLong := HashAPISecret(long)
	rest := strings.TrimPrefix(stored, apiSecretScheme)
	salt, hash, _ := strings.Cut(rest, "$")
	bigSalt := base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat("x", 48)))
	hugeSalt := base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat("x", 49)))
	sum := func(salt, secret string) string {
		h := sha256.Sum256([]byte(salt + secret))
		return base64.RawURLEncoding.EncodeToString(h[:])
	}
	storeds := []string{
		stored, storedLong, "", "sha256$", "sha256$$", "sha256$" + salt, "sha256$" + salt + "$",
		"sha256$" + salt + "$" + hash[:42], "sha256$" + salt + "$" + hash + "A", "sha256$" + salt + "$" + hash + "==",
		"sha256$" + salt + "$" + hash[:42] + "*", "sha256$" + salt + "*$" + hash, "sha256$$" + sum("", good),
		"sha256$" + bigSalt + "$" + sum(strings.Repeat("x", 48), good),
		"sha256$" + hugeSalt + "$" + sum(strings.Repeat("x", 49), good),
		"sha512$" + rest, "SHA256$" + rest, good,
	}
	secrets := []string{good, good + "x", good[:len(good)-1], "", long, long[:299], strings.Repeat("s", 256), strings.Repeat("s", 257)}
	matched := 0
	for _, st := range storeds {
		for _, sec := range secrets {
			got, want := VerifyAPISecret(st, sec), verifyAPISecretPlain(st, sec)
			if got != want {
				t.Errorf("VerifyAPISecret(%q, secret of %d bytes) = %v, plain form says %v", st, len(sec), got, want)
			}
			if got {
				matched++
			}
		}
	}
	// stored/good, storedLong/long, empty salt, 48-byte salt, 49-byte salt.
	if matched != 5 {
		t.Errorf("%d pairs matched, want 5", matched)
	}
}

func TestVerifyAPISecretDoesNotAllocate(t *testing.T) {
	secret := "plain-secret-0123456789abcdefghij"
	stored := HashAPISecret(secret)
	if n := testing.AllocsPerRun(100, func() {
		if !VerifyAPISecret(stored, secret) {
			t.Fatal("secret refused")
		}
	}); n != 0 {
		t.Errorf("%v allocations per verification, want 0", n)
	}
}

func FuzzVerifyAPISecret(f *testing.F) {
	f.Add(HashAPISecret("a-secret"), "a-secret")
	f.Add("sha256$$", "")
	f.Fuzz(func(t *testing.T, stored, secret string) {
		if got, want := VerifyAPISecret(stored, secret), verifyAPISecretPlain(stored, secret); got != want {
			t.Fatalf("VerifyAPISecret(%q, %q) = %v, plain form says %v", stored, secret, got, want)
		}
	})
}
