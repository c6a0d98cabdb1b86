package storetest

import (
	"errors"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// testOnceConditions covers the conditions ClaimOnce and AnswerOnce check in
// their one statement besides the status: the enrollment still exists (with
// that client and profile), and the answer carries the claim's nonce. A
// refusal for a missing enrollment changes nothing and does not record the
// jti.
func testOnceConditions(t *testing.T, s store.Store) {
	enrollBoth(t, s)
	for _, id := range []string{"c1", "c2"} {
		if err := s.Autocommit(ctx, func(x store.Tx) error { return x.CreateTransaction(ctx, newTx(id, 1000)) }); err != nil {
			t.Fatal(err)
		}
	}
	gone := store.Enrollment{ID: "gone", ProfileID: "p", ClientID: "c", UserID: "u"}
	wrongClient, wrongProfile := enrE, enrE
	wrongClient.ClientID, wrongProfile.ProfileID = "c2", "p2"
	for _, e := range []store.Enrollment{gone, wrongClient, wrongProfile} {
		if _, claimed, err := s.ClaimOnce(ctx, "k1", 500, "c1", e, "n", 1); !errors.Is(err, store.ErrNotEnrolled) || claimed {
			t.Fatalf("claim by a missing enrollment %+v: claimed=%v %v, want ErrNotEnrolled", e, claimed, err)
		}
	}
	// k1 was not spent by the refusals.
	if fresh, claimed, err := s.ClaimOnce(ctx, "k1", 500, "c1", enrE, "n1", 1); err != nil || !fresh || !claimed {
		t.Fatalf("claim: fresh=%v claimed=%v %v", fresh, claimed, err)
	}
	if fresh, answered, err := s.AnswerOnce(ctx, "k2", 500, "c1", enrE, "n-other", store.StatusAccepted, 2, nil); err != nil || !fresh || answered {
		t.Fatalf("answer with another nonce: fresh=%v answered=%v %v", fresh, answered, err)
	}
	// The enrollment is deleted between claim and answer (deregistration).
	if fresh, claimed, err := s.ClaimOnce(ctx, "k3", 500, "c2", enrE, "n2", 1); err != nil || !fresh || !claimed {
		t.Fatalf("claim c2: fresh=%v claimed=%v %v", fresh, claimed, err)
	}
	tx(t, s, func(x store.Tx) error { return x.DeleteEnrollment(ctx, enrE.ID) })
	cb := &store.Callback{ID: "cbc2", APIClientID: "rp", URL: "https://rp/cb", Body: "{}"}
	if _, answered, err := s.AnswerOnce(ctx, "k4", 500, "c2", enrE, "n2", store.StatusAccepted, 2, cb); !errors.Is(err, store.ErrNotEnrolled) || answered {
		t.Fatalf("answer by a deleted enrollment: answered=%v %v, want ErrNotEnrolled", answered, err)
	}
	tx(t, s, func(x store.Tx) error {
		if got, _ := x.GetTransaction(ctx, "c2"); got.Status != store.StatusClaimed {
			t.Errorf("c2 after refused answer: %+v", got)
		}
		if _, err := x.GetCallback(ctx, "cbc2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("callback of a refused answer: %v", err)
		}
		if fresh, err := x.UseJTI(ctx, "k4", 500); err != nil || !fresh {
			t.Errorf("jti of a refused answer was recorded: fresh=%v %v", fresh, err)
		}
		return nil
	})
	// The right enrollment and nonce answer once.
	tx(t, s, func(x store.Tx) error { return x.CreateEnrollment(ctx, enrE) })
	if fresh, answered, err := s.AnswerOnce(ctx, "k5", 500, "c1", enrE, "n1", store.StatusAccepted, 2, nil); err != nil || !fresh || !answered {
		t.Fatalf("answer: fresh=%v answered=%v %v", fresh, answered, err)
	}
}
