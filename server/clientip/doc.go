// Package clientip finds the address of the client behind a request: the
// TCP peer, or behind trusted reverse proxies the right-most address of
// X-Forwarded-For that is not one of them. The server's middleware stores
// it in the request's context (With); per-IP rate limits and audit records
// read it (From); per-IP limits count it under LimitKey (an IPv6 address
// by its /64).
package clientip
