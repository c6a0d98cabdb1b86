// Package servertest starts a real Token Server on 127.0.0.1 for tests (a real
// store: SQLite in t.TempDir() by default, PostgreSQL via Options.StoreURL),
// seeded with the demo data, with a controllable expiry clock, device-API
// request counting, captured (redacted) logs, convenience wrappers over the
// real relying-party HTTP API, and Device: the software device of
// server/softdevice (the load generator's too) bound to the test server, with
// context-free calls that fail the test on a broken proof or signature.
package servertest
