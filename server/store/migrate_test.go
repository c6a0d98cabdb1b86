package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// A database at migration 0001 with data is upgraded without losing rows.
func TestSQLiteUpgradeKeepsData(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	ddl, err := os.ReadFile("migrations/sqlite/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	stmts := strings.Split(string(ddl), ";")
	stmts = append(stmts,
		"CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
		"INSERT INTO schema_migrations VALUES ('0001_init.sql', 1)",
		"INSERT INTO jti_cache VALUES ('c:j1', 99999999999999)",
		"INSERT INTO transactions VALUES ('t1','h1','rp','demo','Log in?','','','','claimed','n','p','e','u',1,99999999999999,0)",
		"INSERT INTO outbox VALUES ('o1','rp','https://rp/cb','{}',2,5,0,0,'HTTP 500',1)",
	)
	for _, s := range stmts {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	_ = db.Close()

	st, err := store.Open(ctx, "sqlite:"+p)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.InTx(ctx, func(x store.Tx) error {
		if ok, err := x.UseJTI(ctx, "c:j1", 1); err != nil || ok {
			t.Errorf("replay cache lost in the upgrade: %v %v", ok, err)
		}
		tr, err := x.GetTransactionByOTPHash(ctx, "h1")
		if err != nil || tr.ID != "t1" || tr.Status != store.StatusClaimed || tr.Nonce != "n" {
			t.Errorf("transaction after the upgrade: %+v %v", tr, err)
		}
		due, err := x.DueCallbacks(ctx, 10, 10)
		if err != nil || len(due) != 1 || due[0].Attempts != 2 || due[0].LastError != "HTTP 500" {
			t.Errorf("outbox after the upgrade: %+v %v", due, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
