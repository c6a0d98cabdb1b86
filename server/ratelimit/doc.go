// Package ratelimit is a keyed token-bucket rate limiter (in memory, per
// server instance) used for OTP claims, PIN attempts, logins and request
// creation. PIN failures are additionally counted durably in the store.
package ratelimit
