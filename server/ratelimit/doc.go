// Package ratelimit is a keyed token-bucket rate limiter used for OTP
// claims, PIN attempts, logins and request creation. Buckets live in memory
// (one server instance) or, with Share, in a store several instances share
// (PostgreSQL: store.TakeToken), so N instances hold one budget. PIN
// failures are additionally counted durably in the store.
package ratelimit
