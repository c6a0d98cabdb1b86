package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

//go:embed migrations
var migrationsFS embed.FS

// sqlStore is the database/sql implementation of Store.
type sqlStore struct {
	d      *dialect
	writer *sql.DB                      // SQLite: one connection, so writers never fight over the lock
	reader *sql.DB                      // SQLite: a small pool of read-only connections (WAL readers)
	obs    atomic.Pointer[func(string)] // ObserveStatements
	batch  *pgBatcher                   // PostgreSQL group commit (nil: off)
	pgURL  string                       // PostgreSQL: the URL without store options (Notifier)
}

// Open opens (and migrates) the store at storeURL:
//
//	sqlite:PATH              a file, WAL mode, synchronous=NORMAL
//	sqlite:PATH?synchronous=full   fsync every commit (power-loss durable)
//	sqlite::memory:          a private in-memory database (tests)
//	postgres://... or postgresql://...   PostgreSQL via pgx; a search_path
//	                         parameter selects the schema (created if missing)
//
// synchronous=NORMAL in WAL mode keeps every committed transaction across a
// process crash (SIGKILL): the WAL is in the OS cache before COMMIT returns;
// only an OS crash or power loss can drop the last commits. Use
// synchronous=full where that matters more than throughput.
func Open(ctx context.Context, storeURL string) (Store, error) {
	switch {
	case strings.HasPrefix(storeURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(storeURL, "sqlite:"))
	case strings.HasPrefix(storeURL, "postgres://"), strings.HasPrefix(storeURL, "postgresql://"):
		return openPostgres(ctx, storeURL)
	}
	return nil, fmt.Errorf("store: unsupported store URL (want sqlite:PATH or postgres://...)")
}

func openSQLite(ctx context.Context, spec string) (Store, error) {
	p, query, _ := strings.Cut(spec, "?")
	sync := "NORMAL"
	if query != "" {
		v, err := url.ParseQuery(query)
		if err != nil {
			return nil, fmt.Errorf("store: bad sqlite options: %w", err)
		}
		switch strings.ToLower(v.Get("synchronous")) {
		case "", "normal":
		case "full":
			sync = "FULL"
		default:
			return nil, errors.New("store: synchronous must be normal or full")
		}
	}
	// secure_delete(FAST): deleted and overwritten values (a key replaced
	// by its sealed form, spent token hashes) are zeroed in the page when
	// that costs no extra I/O, so old secrets do not linger in free space.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=secure_delete(FAST)&_pragma=synchronous(" + sync + ")"
	s := &sqlStore{d: sqliteDialect}
	if p == "" || p == ":memory:" {
		db, err := openSQLiteDB("file::memory:?" + pragmas)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		s.writer, s.reader = db, db
	} else {
		if err := restrictFiles(p); err != nil {
			return nil, err
		}
		dsn := "file:" + p + "?" + pragmas + "&_pragma=journal_mode(WAL)&_txlock=immediate"
		w, err := openSQLiteDB(dsn)
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxIdleTime(0)
		w.SetConnMaxLifetime(0)
		// The writer creates the file and switches it to WAL before readers open it.
		if err := w.PingContext(ctx); err != nil {
			_ = w.Close()
			return nil, fmt.Errorf("store: opening sqlite: %w", err)
		}
		r, err := openSQLiteDB("file:" + p + "?" + pragmas + "&_pragma=query_only(1)")
		if err != nil {
			_ = w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(4)
		r.SetMaxIdleConns(4)
		s.writer, s.reader = w, r
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// restrictFiles makes the database file readable by its owner only (0600),
// creating it empty when missing, and tightens an existing -wal and -shm
// file. SQLite creates its -wal and -shm files with the database file's
// permissions, so they follow (issue 11, item 11).
func restrictFiles(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: creating the sqlite file: %w", err)
	}
	_ = f.Close()
	for _, name := range []string{p, p + "-wal", p + "-shm"} {
		if err := os.Chmod(name, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("store: restricting %s: %w", name, err)
		}
	}
	return nil
}

func openPostgres(ctx context.Context, u string) (Store, error) {
	u, groupCommit, err := groupCommitOption(u)
	if err != nil {
		return nil, err
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return nil, errors.New("store: bad postgres URL")
	}
	if schema := parsed.Query().Get("search_path"); schema != "" {
		if err := createSchema(ctx, parsed, schema); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("pgx", u)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &sqlStore{d: postgresDialect, writer: db, reader: db, pgURL: u}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: connecting to postgres: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	if groupCommit {
		if s.batch, err = newPGBatcher(ctx, u, groupCommitConns); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	return s, nil
}

// createSchema creates the schema named by search_path (a single identifier).
func createSchema(ctx context.Context, u *url.URL, schema string) error {
	for _, c := range schema {
		if !(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			return errors.New("store: search_path must be one lower-case identifier")
		}
	}
	base := *u
	q := base.Query()
	q.Del("search_path")
	base.RawQuery = q.Encode()
	db, err := sql.Open("pgx", base.String())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil && !isUniqueViolation(err) {
		return fmt.Errorf("store: creating schema: %w", err)
	}
	return nil
}

// migrate applies the dialect's migrations not yet recorded in schema_migrations.
func (s *sqlStore) migrate(ctx context.Context) error {
	dir := path.Join("migrations", s.d.name)
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after commit
	if s.d.dollar {
		// Several server instances may start at once: one migrates, the others wait.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7301001)"); err != nil {
			return fmt.Errorf("store: migrate lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, name := range names {
		var n int
		if err := tx.QueryRowContext(ctx, s.d.q("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), name).Scan(&n); err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(migrationsFS, path.Join(dir, name))
		if err != nil {
			return err
		}
		for _, stmt := range strings.Split(string(body), ";") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("store: migration %s: %w", name, err)
			}
		}
		if step := goMigrations[name]; step != nil {
			if err := step(ctx, tx, s.d); err != nil {
				return fmt.Errorf("store: migration %s: %w", name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.d.q("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"), name, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
	}
	return tx.Commit()
}

// Dialect is "sqlite" or "postgres".
func (s *sqlStore) Dialect() string { return s.d.name }

// Close closes the connection pools.
func (s *sqlStore) Close() error {
	if s.batch != nil {
		s.batch.Close()
	}
	err := s.writer.Close()
	if s.reader != s.writer {
		if e := s.reader.Close(); err == nil {
			err = e
		}
	}
	return err
}

// InTx runs fn in a read-write transaction (SQLite: BEGIN IMMEDIATE on the
// single writer connection); an error from fn rolls it back.
func (s *sqlStore) InTx(ctx context.Context, fn func(Tx) error) error {
	return s.run(ctx, s.writer, nil, fn)
}

// View runs fn on a read connection (see viewAutocommit).
func (s *sqlStore) View(ctx context.Context, fn func(Tx) error) error {
	return s.viewAutocommit(ctx, fn)
}

// viewAutocommit runs a view on one pooled connection without BEGIN/COMMIT.
// PostgreSQL: under READ COMMITTED (the default) every statement of a
// transaction takes its own snapshot anyway, so a read-only transaction gave
// the view nothing but two extra round trips (a quarter of the statements of
// an OTP flow in cmd/loadgen's count). SQLite (WAL): each statement reads its
// own snapshot; BEGIN and COMMIT on the read connection were ~6% of the CPU of
// an OTP flow. No caller needs one snapshot across a view's statements:
// decisions taken on what a view read are re-checked by the conditional
// updates of InTx.
func (s *sqlStore) viewAutocommit(ctx context.Context, fn func(Tx) error) error {
	conn, err := s.reader.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connection: %w", err)
	}
	defer conn.Close()
	return fn(s.newTx(conn))
}

func (s *sqlStore) run(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(Tx) error) error {
	s.note("BEGIN")
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(s.newTx(tx)); err != nil {
		s.note("ROLLBACK")
		_ = tx.Rollback()
		return err
	}
	s.note("COMMIT")
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// sqlTx implements Tx over a database/sql transaction (or, for PostgreSQL
// views, a single connection in autocommit mode).
type sqlTx struct {
	tx queryer
	d  *dialect
	b  *pgBatcher // Autocommit with group commit: batchable statements go here
	s  *sqlStore  // with b: the store whose observer sees them
}

// queryer is what *sql.Tx and *sql.Conn have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (t *sqlTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	r, err := t.tx.ExecContext(ctx, t.d.q(q), args...)
	if err != nil {
		if isUniqueViolation(err) {
			return 0, ErrConflict
		}
		return 0, err
	}
	return r.RowsAffected()
}

func (t *sqlTx) row(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.d.q(q), args...)
}

func noRow(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
