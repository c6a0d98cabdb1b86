package store

import (
	"strconv"
	"strings"
	"sync"
)

// dialect is the small difference layer between SQLite and PostgreSQL: the
// placeholder style and the row-locking clause. Upserts use
// "INSERT ... ON CONFLICT", which both understand.
type dialect struct {
	name      string
	dollar    bool   // $1, $2 placeholders (PostgreSQL) instead of ?
	forUpdate string // " FOR UPDATE" on PostgreSQL; SQLite has one writer
	cache     sync.Map
}

var (
	sqliteDialect   = &dialect{name: "sqlite"}
	postgresDialect = &dialect{name: "postgres", dollar: true, forUpdate: " FOR UPDATE"}
)

// q rewrites a query written with ? placeholders for the dialect. The queries
// of this package contain no ? inside string literals.
func (d *dialect) q(s string) string {
	if !d.dollar {
		return s
	}
	if v, ok := d.cache.Load(s); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(s[i])
	}
	out := b.String()
	d.cache.Store(s, out)
	return out
}

// isUniqueViolation recognises a unique-constraint failure of either driver.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") ||
		strings.Contains(s, "duplicate key value")
}
