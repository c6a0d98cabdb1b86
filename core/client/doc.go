// Package client is the SDK core's connection to the Token Server: startClient
// (configuration, validation, one-time client registration with a client key in
// the KeyStore, reuse of the stored registration afterwards) and the HTTP client
// every other package uses. The HTTP client talks HTTPS only (plain HTTP only to
// a loopback host or when the app explicitly allows it), can pin the server's
// SubjectPublicKeyInfo, bounds every request with timeouts, signs every request
// with a fresh DPoP proof of the client key, and maps every failure to an SDK
// error code: server refusals through SDKCode, network failures to 9000
// (network) or 9001 (server not reachable). It never answers a generic error.
package client
