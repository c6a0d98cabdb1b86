package store

import (
	"context"
	"database/sql"
)

// ObserveStatements makes s call fn with the text of every statement it
// sends to the database from now on, BEGIN and COMMIT included (nil stops).
// It is for tests and diagnostics (counting a flow's round trips); fn must be
// safe for concurrent use. It reports false when s is not a store of this
// package.
func ObserveStatements(s Store, fn func(query string)) bool {
	st, ok := s.(*sqlStore)
	if !ok {
		return false
	}
	if fn == nil {
		st.obs.Store(nil)
	} else {
		st.obs.Store(&fn)
	}
	return true
}

// note reports a statement to the observer, if any.
func (s *sqlStore) note(q string) {
	if fn := s.obs.Load(); fn != nil {
		(*fn)(q)
	}
}

// newTx wraps q (a transaction or a connection) as a Tx.
func (s *sqlStore) newTx(q queryer) *sqlTx {
	if s.obs.Load() != nil {
		q = observed{q: q, s: s}
	}
	return &sqlTx{tx: q, d: s.d}
}

// observed reports every statement run through q.
type observed struct {
	q queryer
	s *sqlStore
}

func (o observed) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	o.s.note(query)
	return o.q.ExecContext(ctx, query, args...)
}

func (o observed) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	o.s.note(query)
	return o.q.QueryContext(ctx, query, args...)
}

func (o observed) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	o.s.note(query)
	return o.q.QueryRowContext(ctx, query, args...)
}
