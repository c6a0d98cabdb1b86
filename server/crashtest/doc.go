// Package crashtest holds the crash-safety test of the Token Server (DESIGN
// §7, issue 3): it builds cmd/tokenserver, runs it as a subprocess on a store
// (a SQLite file, and a PostgreSQL schema when OMA_TEST_POSTGRES_URL is set),
// drives complete OTP flows with simulated devices (server/loadgen) and a
// relying party whose callback endpoint is slow and failing at first, kills
// the server with SIGKILL while answers and callbacks are in flight, restarts
// it on the same store and checks that every acknowledged answer is still
// recorded and every callback of an answered transaction is delivered.
//
// The package has only tests; run them with
//
//	go test ./server/crashtest/                    # SQLite
//	scripts/pg.sh go test ./server/crashtest/      # SQLite and PostgreSQL
package crashtest
