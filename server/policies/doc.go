// Package policies holds the operator's runtime policies that every
// instance on one store must agree on (issue 16): the wrong PINs a
// registration survives, how long a "this wasn't me" answer suspends the
// user's user-bound requests, and how many open push requests a user may
// have. Each is a setting in the store, read in the transaction that
// applies it; a value not stored falls back to the server's configuration
// (flag, OMA_* variable or YAML key), then to the built-in default. The
// re-enrollment policy (server/enrollpolicy) works the same way.
package policies
