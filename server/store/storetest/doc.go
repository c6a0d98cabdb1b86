// Package storetest is the conformance suite every store.Store implementation
// must pass. Run(t, open) is called by the SQLite tests of package store and,
// when OMA_TEST_POSTGRES_URL is set, against a fresh PostgreSQL schema
// (PostgresURL creates one per call and drops it when the test ends).
package storetest
