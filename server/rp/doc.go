// Package rp serves the relying-party API (DESIGN §5, Onegini Token Server v4
// compatible): POST /oauth/api/v4/authenticate/user starts a mobile
// authentication request, GET /oauth/api/v4/authenticate/transaction/{id}
// fetches its state — with ?wait=<seconds up to 30> as a long poll, and
// .../{id}/events as server-sent events — all behind HTTP Basic auth with an
// API client's id and secret. Errors are JSON {error, error_code,
// error_description}.
package rp
