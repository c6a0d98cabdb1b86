// Package secrethash is how the Token Server stores and checks secrets:
// argon2id hashes of PINs, passwords and API-client secrets (Hash, Verify,
// with the cost in the encoded hash), the Gate that bounds how many argon2
// computations run at once and turns the overflow away (ErrBusy), and the
// SHA-256 form of bearer-like secrets that carry 256 random bits (Token:
// access and refresh tokens, authorization codes).
package secrethash
