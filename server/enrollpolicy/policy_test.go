package enrollpolicy

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// The stored policy wins over the configured default; none or an unknown
// one stored gives the default.
func TestCurrent(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	current := func() string {
		t.Helper()
		var p string
		if err := st.View(ctx, func(tx store.Tx) (err error) { p, err = Current(ctx, tx, Override); return }); err != nil {
			t.Fatal(err)
		}
		return p
	}
	put := func(v string) {
		t.Helper()
		if err := st.InTx(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, Setting, v) }); err != nil {
			t.Fatal(err)
		}
	}
	if p := current(); p != Override {
		t.Fatalf("nothing stored: %q", p)
	}
	put(Multiple)
	if p := current(); p != Multiple {
		t.Fatalf("stored multiple: %q", p)
	}
	put("everything")
	if p := current(); p != Override {
		t.Fatalf("unknown stored: %q", p)
	}
	for p, want := range map[string]bool{Single: true, Override: true, Multiple: true, "": false, "Single": false} {
		if Valid(p) != want {
			t.Errorf("Valid(%q) = %v", p, !want)
		}
	}
	if DisenrolledKey("p1") == DisenrolledKey("p2") {
		t.Fatal("one mark for two profiles")
	}
}
