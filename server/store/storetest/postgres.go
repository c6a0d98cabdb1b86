package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"

	"github.com/openmobileauth/oma/core/protocol"
)

// EnvPostgresURL names the environment variable holding a postgres:// URL of a
// database the tests may create schemas in.
const EnvPostgresURL = "OMA_TEST_POSTGRES_URL"

// PostgresURL returns a URL for a fresh, empty schema in the database named by
// OMA_TEST_POSTGRES_URL (search_path=<schema>; store.Open creates the schema)
// and drops the schema when t ends. ok is false when the variable is unset.
func PostgresURL(t testing.TB) (u string, ok bool) {
	base := os.Getenv(EnvPostgresURL)
	if base == "" {
		return "", false
	}
	parsed, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgresURL, err)
	}
	schema := "t_" + lowerHex(protocol.RandomToken(9))
	q := parsed.Query()
	q.Set("search_path", schema)
	parsed.RawQuery = q.Encode()
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.ExecContext(context.Background(), fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE", schema))
	})
	return parsed.String(), true
}

func lowerHex(s string) string {
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = fmt.Appendf(out, "%02x", s[i])
	}
	return string(out)
}
