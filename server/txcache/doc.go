// Package txcache is one Token Server instance's bounded in-memory
// write-through cache of authentication requests (their immutable facts and
// this instance's own claims and final answers) and of enrollments with
// their parsed keys, shared by the device and relying-party handlers. Every
// mutable condition is still decided by the store (see Cache).
package txcache
