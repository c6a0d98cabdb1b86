package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
)

func TestSQLiteFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestSQLiteMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := store.Open(context.Background(), "sqlite::memory:")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestPostgres(t *testing.T) {
	if _, ok := storetest.PostgresURL(t); !ok {
		t.Skip("OMA_TEST_POSTGRES_URL not set; scripts/pg.sh runs this against a throwaway cluster")
	}
	storetest.Run(t, func(t *testing.T) store.Store {
		u, _ := storetest.PostgresURL(t)
		s, err := store.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	p := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	ctx := context.Background()
	s, err := store.Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InTx(ctx, func(x store.Tx) error { return x.PutSetting(ctx, "k", "v") }); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	s, err = store.Open(ctx, p) // migrations are not re-applied
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v string
	_ = s.View(ctx, func(x store.Tx) error { v, err = x.GetSetting(ctx, "k"); return err })
	if v != "v" {
		t.Fatalf("after reopen: %q %v", v, err)
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	if _, err := store.Open(context.Background(), "mysql://x"); err == nil {
		t.Fatal("unknown store URL accepted")
	}
	if _, err := store.Open(context.Background(), "sqlite:x.db?synchronous=maybe"); err == nil {
		t.Fatal("bad synchronous accepted")
	}
}
