package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/store"
)

// testProfileLock: LockProfile holds the profile row until the transaction
// ends: a second LockProfile waits, and after the first transaction removed
// the profile it finds nothing (issue 11, item 2). On SQLite the single
// writer gives the same order.
func testProfileLock(t *testing.T, s store.Store) {
	ctx := context.Background()
	tx(t, s, func(x store.Tx) error {
		return x.CreateProfile(ctx, store.Profile{ID: "lp", ClientID: "cl", UserID: "u", PinHash: "ph", Scope: "openid"})
	})
	locked, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	releaseFirst := func() { once.Do(func() { close(release) }) }
	defer releaseFirst() // also when the test fails early
	first := make(chan error, 1)
	go func() {
		first <- s.InTx(ctx, func(x store.Tx) error {
			p, err := x.LockProfile(ctx, "lp")
			if err != nil || p.Scope != "openid" {
				return errors.Join(err, errors.New("lock: wrong profile"))
			}
			close(locked)
			<-release
			return x.DeleteProfile(ctx, "lp")
		})
	}()
	<-locked
	second := make(chan error, 1)
	go func() {
		second <- s.InTx(ctx, func(x store.Tx) error {
			_, err := x.LockProfile(ctx, "lp")
			return err
		})
	}()
	select {
	case err := <-second:
		releaseFirst()
		<-first
		t.Fatalf("a second LockProfile did not wait for the first transaction: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	releaseFirst()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LockProfile after the removal committed: %v, want ErrNotFound", err)
	}
}

// testTokenFamily: MarkTokenUsed succeeds once; DeleteTokenFamily removes
// every token of the family and nothing else.
func testTokenFamily(t *testing.T, s store.Store) {
	ctx := context.Background()
	tx(t, s, func(x store.Tx) error {
		for _, k := range []store.Token{
			{Hash: "r1", Kind: store.TokenRefresh, ProfileID: "p", ClientID: "c", UserID: "u", Family: "f1", ExpiresAt: 9},
			{Hash: "a1", Kind: store.TokenAccess, ProfileID: "p", ClientID: "c", UserID: "u", Family: "f1", ExpiresAt: 9},
			{Hash: "r2", Kind: store.TokenRefresh, ProfileID: "p", ClientID: "c", UserID: "u", Family: "f2", ExpiresAt: 9},
		} {
			if err := x.CreateToken(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
	tx(t, s, func(x store.Tx) error {
		for i, want := range []bool{true, false} {
			ok, err := x.MarkTokenUsed(ctx, "r1")
			if err != nil || ok != want {
				t.Errorf("MarkTokenUsed #%d = %v %v, want %v", i+1, ok, err, want)
			}
		}
		if k, err := x.GetToken(ctx, "r1"); err != nil || !k.Used || k.Family != "f1" {
			t.Errorf("used token %+v %v", k, err)
		}
		n, err := x.DeleteTokenFamily(ctx, "f1")
		if err != nil || n != 2 {
			t.Errorf("DeleteTokenFamily = %d %v, want 2", n, err)
		}
		if _, err := x.GetToken(ctx, "r2"); err != nil {
			t.Errorf("another family's token: %v", err)
		}
		return nil
	})
}
