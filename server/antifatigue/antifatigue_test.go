package antifatigue

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

func TestExtrasAndOutcomeRoundTrip(t *testing.T) {
	if (Extras{}).Encode() != "" || (Extras{Candidates: []string{"12"}}).Encode() != "" {
		t.Fatal("an empty Extras is stored as \"\" (candidates alone do not count)")
	}
	x := Extras{MatchCode: "42", Candidates: []string{"17", "42", "93"}, Details: []protocol.Detail{{Label: "Amount", Value: "€ 10"}},
		UserVerification: protocol.UserVerificationRequired}
	got, err := ParseExtras(x.Encode())
	if err != nil || got.MatchCode != "42" || len(got.Candidates) != 3 || len(got.Details) != 1 || got.Details[0] != x.Details[0] ||
		got.UserVerification != protocol.UserVerificationRequired {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if got, err := ParseExtras(""); err != nil || !got.Empty() {
		t.Fatalf("empty: %+v %v", got, err)
	}
	if _, err := ParseExtras("{not json"); err == nil {
		t.Fatal("a corrupt stored value parses")
	}
	o := Outcome{Reason: protocol.ReasonNotMe}
	if (Outcome{}).Encode() != "" || ParseOutcome(o.Encode()) != o || ParseOutcome("garbage") != (Outcome{}) {
		t.Fatal("outcome round trip")
	}
}

// Suspensions keep the later end, end on time, and lifting one clears the
// wrong-pick count; all on a real store.
func TestSuspensionAndMatchFailures(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "oma.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := func(f func(tx store.Tx) error) {
		t.Helper()
		if err := st.InTx(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	const now = int64(1_800_000_000_000)
	in(func(tx store.Tx) error {
		if _, ok, err := SuspensionOf(ctx, tx, "bob", now); ok || err != nil {
			t.Fatalf("suspended before: %v %v", ok, err)
		}
		if _, err := Suspend(ctx, tx, "bob", protocol.ReasonNotMe, now, time.Hour); err != nil {
			return err
		}
		// A shorter suspension later does not shorten it.
		s, err := Suspend(ctx, tx, "bob", protocol.ReasonWrongMatch, now+1000, time.Minute)
		if err != nil || s.Until != now+time.Hour.Milliseconds() {
			t.Fatalf("shorter suspension: %+v %v", s, err)
		}
		if _, ok, _ := SuspensionOf(ctx, tx, "bob", now+time.Hour.Milliseconds()-1); !ok {
			t.Fatal("not suspended before the end")
		}
		if _, ok, _ := SuspensionOf(ctx, tx, "bob", now+time.Hour.Milliseconds()); ok {
			t.Fatal("suspended at the end")
		}
		for want := 1; want <= 3; want++ {
			if n, err := AddMatchFailure(ctx, tx, "bob"); n != want || err != nil {
				t.Fatalf("failure %d: %d %v", want, n, err)
			}
		}
		if n, _ := MatchFailures(ctx, tx, "alice"); n != 0 {
			t.Fatalf("alice has %d failures", n)
		}
		was, err := Unsuspend(ctx, tx, "bob", now+5000)
		if !was || err != nil {
			t.Fatalf("unsuspend: %v %v", was, err)
		}
		if n, _ := MatchFailures(ctx, tx, "bob"); n != 0 {
			t.Fatalf("unsuspend left %d failures", n)
		}
		if _, ok, _ := SuspensionOf(ctx, tx, "bob", now+5000); ok {
			t.Fatal("still suspended")
		}
		if was, err := Unsuspend(ctx, tx, "bob", now+6000); was || err != nil {
			t.Fatalf("second unsuspend: %v %v", was, err)
		}
		return ResetMatchFailures(ctx, tx, "nobody")
	})
}
