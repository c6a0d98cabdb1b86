package policies

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/store"
)

// Stored values win over the defaults, out-of-range values are refused,
// reset returns to the defaults, an unreadable stored value reads as unset.
func TestLoadPutReset(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	def := Policies{PinMaxFailures: 3, NotMeSuspension: time.Hour, PushMaxPending: 1}
	load := func() Policies {
		t.Helper()
		var p Policies
		if err := st.View(ctx, func(tx store.Tx) (err error) { p, err = Load(ctx, tx, def); return }); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := load(); p != def {
		t.Fatalf("nothing stored: %+v", p)
	}
	for _, bad := range []Policies{{PinMaxFailures: 11}, {PinMaxFailures: -1}, {PushMaxPending: 101}, {NotMeSuspension: 1500 * time.Millisecond}, {NotMeSuspension: 31 * 24 * time.Hour}} {
		if err := st.InTx(ctx, func(tx store.Tx) error { return Put(ctx, tx, bad) }); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	set := Policies{PinMaxFailures: 5, NotMeSuspension: 90 * time.Second, PushMaxPending: 4}
	if err := st.InTx(ctx, func(tx store.Tx) error { return Put(ctx, tx, set) }); err != nil {
		t.Fatal(err)
	}
	if p := load(); p != set {
		t.Fatalf("stored: %+v", p)
	}
	if err := st.InTx(ctx, func(tx store.Tx) error { return Put(ctx, tx, Policies{}, SettingPinMaxFailures) }); err != nil {
		t.Fatal(err)
	}
	if p := load(); p.PinMaxFailures != 3 || p.PushMaxPending != 4 {
		t.Fatalf("after reset: %+v", p)
	}
	if err := st.InTx(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, SettingPushMaxPending, "many") }); err != nil {
		t.Fatal(err)
	}
	if p := load(); p.PushMaxPending != 1 {
		t.Fatalf("unreadable value: %+v", p)
	}
	if err := st.InTx(ctx, func(tx store.Tx) error { return Put(ctx, tx, Policies{}, "pin_length") }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown reset: %v", err)
	}
}
