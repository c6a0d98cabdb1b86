package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"modernc.org/sqlite"
)

// SQLite statement cache.
//
// The modernc.org/sqlite connection parses and plans every query string it
// runs (its ExecContext/QueryContext prepare a fresh statement each time);
// in cmd/loadgen's profile that parsing was the largest single cost of an OTP
// flow on SQLite. The wrapper below keeps the prepared statements of each
// connection, keyed by query text, and hands them out again: database/sql
// then prepares through PrepareContext (the wrapper deliberately does not
// implement ExecerContext/QueryerContext) and "closes" the statement after
// use, which only returns it to the cache. A statement still in use (rows
// open) is never handed out twice: the second user gets a fresh, uncached
// one. PostgreSQL needs none of this: pgx caches prepared statements per
// connection by itself.

// maxCachedStmts bounds the cache per connection (the store has a few dozen
// distinct queries).
const maxCachedStmts = 256

// sqliteConnector opens modernc.org/sqlite connections wrapped in the cache.
type sqliteConnector struct {
	inner driver.Connector
}

func newSQLiteConnector(dsn string) (driver.Connector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConnector{inner: c}, nil
}

func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &cachingConn{inner: conn, stmts: map[string]*cachedStmt{}}, nil
}

func (c *sqliteConnector) Driver() driver.Driver { return c.inner.Driver() }

// cachingConn is a driver connection with a prepared-statement cache. A
// driver connection is used by one goroutine at a time (database/sql
// serialises access), so the map needs no lock.
type cachingConn struct {
	inner driver.Conn
	stmts map[string]*cachedStmt
}

var (
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
)

func (c *cachingConn) prepareInner(ctx context.Context, q string) (driver.Stmt, error) {
	if p, ok := c.inner.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, q)
	}
	return c.inner.Prepare(q)
}

func (c *cachingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if s := c.stmts[q]; s != nil {
		if !s.inUse {
			s.inUse = true
			return s, nil
		}
		return c.prepareInner(ctx, q) // in use (nested query): an uncached one
	}
	st, err := c.prepareInner(ctx, q)
	if err != nil || len(c.stmts) >= maxCachedStmts {
		return st, err
	}
	s := &cachedStmt{inner: st, inUse: true}
	c.stmts[q] = s
	return s, nil
}

func (c *cachingConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *cachingConn) Close() error {
	var errs []error
	for q, s := range c.stmts {
		errs = append(errs, s.inner.Close())
		delete(c.stmts, q)
	}
	errs = append(errs, c.inner.Close())
	return errors.Join(errs...)
}

func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.inner.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.inner.Begin() //nolint:staticcheck // fallback for drivers without BeginTx
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// cachedStmt is a cached prepared statement; Close returns it to the cache.
type cachedStmt struct {
	inner driver.Stmt
	inUse bool
}

var (
	_ driver.StmtExecContext  = (*cachedStmt)(nil)
	_ driver.StmtQueryContext = (*cachedStmt)(nil)
)

func (s *cachedStmt) Close() error  { s.inUse = false; return nil }
func (s *cachedStmt) NumInput() int { return s.inner.NumInput() }

func (s *cachedStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.inner.Exec(args) //nolint:staticcheck // required by driver.Stmt
}

func (s *cachedStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.inner.Query(args) //nolint:staticcheck // required by driver.Stmt
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.inner.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return nil, driver.ErrSkip
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := s.inner.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return nil, driver.ErrSkip
}

// openSQLiteDB is sql.Open("sqlite", dsn) with the statement cache.
func openSQLiteDB(dsn string) (*sql.DB, error) {
	c, err := newSQLiteConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}
