// Package webpush is the receiving side of Web Push message encryption: what a
// user agent (or a UnifiedPush distributor) holds and does. It creates a
// subscription's keys — a P-256 key pair whose public key is the "p256dh"
// value and a 16-byte authentication secret, the "auth" value (RFC 8291 §2,
// §3.1) — and decrypts a push message encrypted with the "aes128gcm" content
// coding (RFC 8188 §2) keyed as RFC 8291 §3.3–§3.4 describe.
//
// The terminal phone uses it to play the push service for its own loopback
// subscription; the server's tests use it to open what its Web Push sender
// wrote. It depends on the standard library only (crypto/ecdh, crypto/hkdf,
// crypto/aes, crypto/cipher).
package webpush
