package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
)

// ErrMigrationsPending means the database lacks migrations this build
// carries (another instance has not finished migrating, or the schema was
// restored from an older backup).
var ErrMigrationsPending = errors.New("store: migrations pending")

// Check reports whether s answers and its schema holds every migration of
// this build (readiness, DESIGN §15). A newer schema (migrations of a later
// build) is fine: migrations only add.
func Check(ctx context.Context, s Store) error {
	st, ok := s.(*sqlStore)
	if !ok {
		return nil
	}
	entries, err := fs.ReadDir(migrationsFS, path.Join("migrations", st.d.name))
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, e := range entries {
		want[e.Name()] = true
	}
	rows, err := st.reader.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("store: unreachable: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		delete(want, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unreachable: %w", err)
	}
	if len(want) > 0 {
		return fmt.Errorf("%w (%d)", ErrMigrationsPending, len(want))
	}
	return nil
}

// expiryCursorKey is the settings row holding the end of the last counted
// expiry window.
const expiryCursorKey = "metrics_expired_until"

// ExpiredKind is what CountExpired groups by.
type ExpiredKind struct {
	Type string // OTP type
	Push bool   // a push request (PushOTPHashPrefix)
}

// CountExpired returns, by OTP type and method, the transactions that expired
// unanswered (still pending or claimed) with an expiry in the window
// between the last call on this database (by any instance) and until (unix
// ms). Each window is counted by exactly one caller: the cursor moves by a
// conditional update and a caller that loses the race counts nothing. The
// first call only starts the cursor. Nothing is written to the
// transactions themselves (their hot-path updates stay as they are); the
// count reads rows by expires_at without an index, once a minute, like
// PurgeExpired.
func CountExpired(ctx context.Context, s Store, until int64) (map[ExpiredKind]int, error) {
	var out map[ExpiredKind]int
	err := s.InTx(ctx, func(tx Tx) error {
		out = nil
		t, ok := tx.(*sqlTx)
		if !ok {
			return errors.New("store: CountExpired needs a store of this package")
		}
		prev, err := tx.GetSetting(ctx, expiryCursorKey)
		if errors.Is(err, ErrNotFound) {
			_, err = tx.InsertSetting(ctx, expiryCursorKey, strconv.FormatInt(until, 10))
			return err
		} else if err != nil {
			return err
		}
		from, err := strconv.ParseInt(prev, 10, 64)
		if err != nil || from >= until {
			return err
		}
		n, err := t.exec(ctx, "UPDATE settings SET value = ? WHERE key = ? AND value = ?", strconv.FormatInt(until, 10), expiryCursorKey, prev)
		if err != nil || n == 0 {
			return err // another instance counted this window
		}
		rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT type, CASE WHEN otp_hash LIKE '"+PushOTPHashPrefix+"%' THEN 1 ELSE 0 END, COUNT(*) FROM transactions WHERE status IN ('pending', 'claimed') AND expires_at > ? AND expires_at <= ? GROUP BY 1, 2"), from, until)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = map[ExpiredKind]int{}
		for rows.Next() {
			var k ExpiredKind
			var push, c int
			if err := rows.Scan(&k.Type, &push, &c); err != nil {
				return err
			}
			k.Push = push == 1
			out[k] = c
		}
		return rows.Err()
	})
	return out, err
}
