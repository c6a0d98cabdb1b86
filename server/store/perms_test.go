package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// Issue 11, item 11: the SQLite database, its WAL and its shared-memory file
// are readable by their owner only, also for a database created earlier with
// wider permissions.
func TestSQLiteFilesOwnerOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	check := func(p string) {
		t.Helper()
		s, err := store.Open(ctx, "sqlite:"+p)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.InTx(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, "k", "v") }); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{p, p + "-wal", p + "-shm"} {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if m := st.Mode().Perm(); m != 0o600 {
				t.Errorf("%s mode %o, want 600", filepath.Base(f), m)
			}
		}
	}
	check(filepath.Join(dir, "new.db"))
	old := filepath.Join(dir, "old.db")
	s, err := store.Open(ctx, "sqlite:"+old)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	for _, f := range []string{old, old + "-wal", old + "-shm"} {
		_ = os.Chmod(f, 0o644)
	}
	check(old)
}
