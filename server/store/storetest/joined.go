package storetest

import (
	"errors"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// testJoined covers the one-statement hot-path operations: the user-bound
// insert and the transaction+enrollment reads, against the two-step reads
// they replace.
func testJoined(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		if err := x.CreateUser(ctx, store.User{ID: "bob", PasswordHash: "h", CreatedAt: 1}); err != nil {
			return err
		}
		if err := x.CreateClient(ctx, store.Client{ID: "cl", PublicKey: "k", AppID: "a", RedirectURI: "app://cb"}); err != nil {
			return err
		}
		if err := x.CreateProfile(ctx, store.Profile{ID: "p", ClientID: "cl", UserID: "bob", PinHash: "ph"}); err != nil {
			return err
		}
		// Two enrollments of p on cl (the older one must win) and one on another client.
		for _, e := range []store.Enrollment{
			{ID: "e2", ProfileID: "p", ClientID: "cl", UserID: "bob", PublicKey: "pk2", Certificate: "c2", CreatedAt: 20},
			{ID: "e1", ProfileID: "p", ClientID: "cl", UserID: "bob", PublicKey: "pk1", Certificate: "c1", CreatedAt: 10},
			{ID: "e0", ProfileID: "p", ClientID: "other", UserID: "bob", PublicKey: "pk0", Certificate: "c0", CreatedAt: 5},
		} {
			if err := x.CreateEnrollment(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	bound := newTx("b1", 1000)
	bound.BoundUserID = "bob"
	bound.LanguageCode = "nl"
	orphan := newTx("b2", 1000)
	orphan.BoundUserID = "nobody"
	if err := s.Autocommit(ctx, func(x store.Tx) error {
		if ok, err := x.CreateTransactionForUser(ctx, bound); !ok || err != nil {
			t.Errorf("insert for an existing user = %v, %v", ok, err)
		}
		if ok, err := x.CreateTransactionForUser(ctx, orphan); ok || err != nil {
			t.Errorf("insert for a missing user = %v, %v; want false, nil", ok, err)
		}
		if _, err := x.CreateTransactionForUser(ctx, bound); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate insert: %v, want ErrConflict", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tx(t, s, func(x store.Tx) error {
		if _, err := x.GetTransaction(ctx, "b2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("refused insert left a row: %v", err)
		}
		want, _ := x.GetTransaction(ctx, "b1")
		if want.Status != store.StatusPending || want.BoundUserID != "bob" || want.LanguageCode != "nl" || want.ExpiresAt != 1000 || want.CreatedAt != 1 {
			t.Errorf("inserted row = %+v", want)
		}
		tr, e, found, err := x.GetTransactionForClaim(ctx, "h-b1", "p", "cl")
		if err != nil || !found || tr != want || e.ID != "e1" || e.PublicKey != "pk1" || e.Certificate != "c1" || e.CreatedAt != 10 || e.UserID != "bob" || e.ClientID != "cl" || e.ProfileID != "p" {
			t.Errorf("claim read = %+v %+v %v %v", tr, e, found, err)
		}
		if tr, _, found, err := x.GetTransactionForClaim(ctx, "h-b1", "p", "nope"); err != nil || found || tr != want {
			t.Errorf("claim read, no enrollment on the client = %+v %v %v", tr, found, err)
		}
		if _, _, _, err := x.GetTransactionForClaim(ctx, "h-none", "p", "cl"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("claim read, no transaction: %v", err)
		}
		if tr, _, found, err := x.GetTransactionWithEnrollment(ctx, "b1"); err != nil || found || tr != want {
			t.Errorf("answer read, unclaimed = %+v %v %v", tr, found, err)
		}
		if ok, err := x.ClaimTransaction(ctx, "b1", "p", "e2", "bob", "n", 999); !ok || err != nil {
			t.Fatalf("claim: %v %v", ok, err)
		}
		tr, e, found, err = x.GetTransactionWithEnrollment(ctx, "b1")
		if err != nil || !found || tr.EnrollmentID != "e2" || tr.Status != store.StatusClaimed || e.ID != "e2" || e.PublicKey != "pk2" {
			t.Errorf("answer read = %+v %+v %v %v", tr, e, found, err)
		}
		if err := x.DeleteEnrollment(ctx, "e2"); err != nil {
			return err
		}
		if tr, _, found, err := x.GetTransactionWithEnrollment(ctx, "b1"); err != nil || found || tr.EnrollmentID != "e2" {
			t.Errorf("answer read, enrollment removed = %+v %v %v", tr, found, err)
		}
		if _, _, _, err := x.GetTransactionWithEnrollment(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("answer read, no transaction: %v", err)
		}
		return nil
	})
}
