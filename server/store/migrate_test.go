package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
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

// Migration 0005 on a store with API clients of before: each plaintext
// secret is hashed by the migration's Go step (the same secret still
// verifies, the stored column no longer holds it) and becomes the client's
// callback key "legacy", so receivers keep verifying callbacks (both stores).
func TestMigration0005HashesSecrets(t *testing.T) {
	ctx := context.Background()
	urls := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "m.db")}
	if u, ok := storetest.PostgresURL(t); ok {
		urls["postgres"] = u
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			st, err := store.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			// Back to the schema before 0005, with a plaintext secret.
			db := store.RawDB(st)
			for _, q := range []string{
				"DELETE FROM schema_migrations WHERE version = '0005_api_client_keys.sql'",
				"ALTER TABLE api_clients DROP COLUMN callback_key",
				"ALTER TABLE api_clients DROP COLUMN callback_key_id",
				"INSERT INTO api_clients (id, secret, callback_uris, max_message_len, disabled, created_at) VALUES ('old-rp', 'plain-secret-0123456789abcdefghij', '[]', 0, 0, 1)",
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			_ = st.Close()
			st, err = store.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var c store.APIClient
			_ = st.View(ctx, func(x store.Tx) error { c, err = x.GetAPIClient(ctx, "old-rp"); return err })
			if err != nil {
				t.Fatal(err)
			}
			if !store.IsHashedAPISecret(c.SecretHash) || strings.Contains(c.SecretHash, "plain-secret") ||
				!store.VerifyAPISecret(c.SecretHash, "plain-secret-0123456789abcdefghij") || store.VerifyAPISecret(c.SecretHash, "plain-secret-0123456789abcdefghiJ") {
				t.Fatalf("secret after the migration: %q", c.SecretHash)
			}
			if c.CallbackKey != "plain-secret-0123456789abcdefghij" || c.CallbackKeyID != "legacy" {
				t.Fatalf("callback key after the migration: %q %q", c.CallbackKey, c.CallbackKeyID)
			}
		})
	}
}
