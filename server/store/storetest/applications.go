package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// testApplications: create (conflict on a second create), read back every
// field, update, list, delete (ErrNotFound for a missing one).
func testApplications(t *testing.T, s store.Store) {
	a := store.Application{ID: "bank", Name: "Example Bank", RedirectURIs: []string{"bank://cb", "https://bank.example/cb"},
		Platforms: []string{"android", "ios"}, Versions: []string{"2.1.0"}, CreatedAt: 7}
	tx(t, s, func(x store.Tx) error { return x.CreateApplication(ctx, a) })
	if err := s.InTx(ctx, func(x store.Tx) error { return x.CreateApplication(ctx, a) }); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate application: err = %v, want ErrConflict", err)
	}
	tx(t, s, func(x store.Tx) error {
		got, err := x.GetApplication(ctx, "bank")
		if err != nil || got.Name != a.Name || !slices.Equal(got.RedirectURIs, a.RedirectURIs) || !slices.Equal(got.Platforms, a.Platforms) ||
			!slices.Equal(got.Versions, a.Versions) || got.Disabled || got.CreatedAt != 7 {
			t.Errorf("GetApplication = %+v, %v", got, err)
		}
		got.Disabled, got.Versions, got.Name = true, nil, "Bank"
		if err := x.UpdateApplication(ctx, got); err != nil {
			return err
		}
		got, _ = x.GetApplication(ctx, "bank")
		if !got.Disabled || len(got.Versions) != 0 || got.Name != "Bank" {
			t.Errorf("after update: %+v", got)
		}
		if err := x.UpdateApplication(ctx, store.Application{ID: "nope"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update missing: %v", err)
		}
		if err := x.CreateApplication(ctx, store.Application{ID: "a-first", Name: "A", RedirectURIs: []string{"a://cb"}}); err != nil {
			return err
		}
		list, err := x.ListApplications(ctx)
		if err != nil || len(list) != 2 || list[0].ID != "a-first" || list[1].ID != "bank" {
			t.Errorf("ListApplications = %+v, %v", list, err)
		}
		if err := x.DeleteApplication(ctx, "bank"); err != nil {
			return err
		}
		if _, err := x.GetApplication(ctx, "bank"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted application: %v", err)
		}
		if err := x.DeleteApplication(ctx, "bank"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete missing: %v", err)
		}
		return nil
	})
}
