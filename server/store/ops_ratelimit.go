package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// takeTokenSQL takes one token from bucket (name, key) in one statement: a
// missing bucket starts full (burst) minus the token; an existing one is
// refilled by the time since updated_at at rate tokens per second (capped
// at burst) and updated only when that leaves at least one token, so a
// refusal returns no row and writes nothing. Concurrent takers serialise on
// the row (ON CONFLICT locks it), so N instances share one budget.
//
// Arguments: name, key, burst, now (unix ms), rate (per second).
const takeTokenSQL = `INSERT INTO rate_buckets AS b (name, key, tokens, updated_at, full_at)
VALUES (?, ?, CAST(? AS DOUBLE PRECISION) - 1, CAST(? AS BIGINT), CAST(? AS BIGINT) + CAST(1000 / CAST(? AS DOUBLE PRECISION) AS BIGINT))
ON CONFLICT (name, key) DO UPDATE SET
  tokens = %[1]s(excluded.tokens + 1, b.tokens + %[2]s(0, excluded.updated_at - b.updated_at) * CAST(? AS DOUBLE PRECISION) / 1000.0) - 1,
  updated_at = %[2]s(b.updated_at, excluded.updated_at),
  full_at = %[2]s(b.updated_at, excluded.updated_at) + CAST((excluded.tokens + 1 - (%[1]s(excluded.tokens + 1, b.tokens + %[2]s(0, excluded.updated_at - b.updated_at) * CAST(? AS DOUBLE PRECISION) / 1000.0) - 1)) * 1000 / CAST(? AS DOUBLE PRECISION) AS BIGINT)
WHERE %[1]s(excluded.tokens + 1, b.tokens + %[2]s(0, excluded.updated_at - b.updated_at) * CAST(? AS DOUBLE PRECISION) / 1000.0) >= 1
RETURNING tokens`

var (
	takeTokenPG     = postgresDialect.q(fmt.Sprintf(takeTokenSQL, "LEAST", "GREATEST"))
	takeTokenSQLite = sqliteDialect.q(fmt.Sprintf(takeTokenSQL, "MIN", "MAX"))
)

// BucketKey is how a limited value is stored: a hash, so IP addresses and
// user names do not sit in the database.
func BucketKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:16])
}

// TakeToken takes one token from the shared bucket (name, key) of a limit
// of rate tokens per second and burst, at now (unix ms); false when the
// bucket is empty. rate must be > 0, burst >= 1.
func TakeToken(ctx context.Context, s Store, name, key string, rate float64, burst int, now int64) (bool, error) {
	st, ok := s.(*sqlStore)
	if !ok {
		return false, errors.New("store: TakeToken needs a store of this package")
	}
	q := takeTokenSQLite
	if st.d.dollar {
		q = takeTokenPG
	}
	st.note(q)
	var left float64
	err := st.writer.QueryRowContext(ctx, q, name, BucketKey(key), float64(burst), now, now, rate, rate, rate, rate, rate).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// PurgeBuckets deletes buckets that have refilled completely by now (they
// start full again when next used).
func PurgeBuckets(ctx context.Context, s Store, now int64) (int64, error) {
	st, ok := s.(*sqlStore)
	if !ok {
		return 0, nil
	}
	r, err := st.writer.ExecContext(ctx, st.d.q("DELETE FROM rate_buckets WHERE full_at < ?"), now)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}
