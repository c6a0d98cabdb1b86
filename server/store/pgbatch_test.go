package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
)

// openGroupCommit opens a fresh PostgreSQL store with group commit on (the
// default), or skips without OMA_TEST_POSTGRES_URL.
func openGroupCommit(t *testing.T) store.Store {
	t.Helper()
	u, ok := storetest.PostgresURL(t)
	if !ok {
		t.Skip("OMA_TEST_POSTGRES_URL not set; scripts/pg.sh runs this against a throwaway cluster")
	}
	s, err := store.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if on, _, _, _ := store.GroupCommitStats(s); !on {
		t.Fatal("group commit is not on by default")
	}
	return s
}

var gcEnr = store.Enrollment{ID: "e", ProfileID: "p", ClientID: "c", UserID: "u", PublicKey: "k", Certificate: "c", CreatedAt: 1}

func gcSetup(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.InTx(ctx, func(x store.Tx) error {
		if err := x.CreateUser(ctx, store.User{ID: "u", PasswordHash: "h", CreatedAt: 1}); err != nil {
			return err
		}
		return x.CreateEnrollment(ctx, gcEnr)
	}); err != nil {
		t.Fatal(err)
	}
}

func gcTx(id string) store.Transaction {
	return store.Transaction{ID: id, OTPHash: "h-" + id, APIClientID: "rp", Type: "login", Message: "m",
		BoundUserID: "u", CreatedAt: 1, ExpiresAt: 1000}
}

func gcCreate(t *testing.T, s store.Store, x store.Transaction) (bool, error) {
	t.Helper()
	var ok bool
	err := s.Autocommit(context.Background(), func(tx store.Tx) error {
		var err error
		ok, err = tx.CreateTransactionForUser(context.Background(), x)
		return err
	})
	return ok, err
}

// TestGroupCommitClaimAnswerRace races claims (jtis shared by groups of
// racers) and then answers of many transactions: exactly one claim and one
// answer (with one outbox row) per transaction, one fresh use per jti, and
// batches of more than one op formed.
func TestGroupCommitClaimAnswerRace(t *testing.T) {
	s := openGroupCommit(t)
	gcSetup(t, s)
	ctx := context.Background()
	const rounds, racers = 20, 32
	for r := range rounds {
		id := fmt.Sprintf("t%d", r)
		if ok, err := gcCreate(t, s, gcTx(id)); !ok || err != nil {
			t.Fatalf("create %s: %v %v", id, ok, err)
		}
		var claims, fresh, answers atomic.Int32
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				jti := fmt.Sprintf("c%d-%d", r, i%8) // four racers per jti
				f, c, err := s.ClaimOnce(ctx, jti, 500, id, gcEnr, "n", 1)
				if err != nil {
					t.Errorf("claim: %v", err)
				}
				if c {
					claims.Add(1)
				}
				if f {
					fresh.Add(1)
				}
			})
		}
		wg.Wait()
		if claims.Load() != 1 || fresh.Load() != 8 {
			t.Fatalf("round %d: claims = %d (want 1), fresh jtis = %d (want 8)", r, claims.Load(), fresh.Load())
		}
		for i := range racers {
			wg.Go(func() {
				cb := &store.Callback{ID: fmt.Sprintf("cb%d-%d", r, i), APIClientID: "rp", URL: "https://rp/cb", Body: "{}", NextAttemptAt: 1, CreatedAt: 1}
				f, a, err := s.AnswerOnce(ctx, fmt.Sprintf("a%d-%d", r, i), 500, id, gcEnr, "n", store.StatusAccepted, 2, cb)
				if err != nil || !f {
					t.Errorf("answer: fresh=%v %v", f, err)
				}
				if a {
					answers.Add(1)
				}
			})
		}
		wg.Wait()
		if answers.Load() != 1 {
			t.Fatalf("round %d: answers = %d (want 1)", r, answers.Load())
		}
	}
	if err := s.View(ctx, func(x store.Tx) error {
		n, err := x.PendingCallbacks(ctx)
		if err == nil && n != rounds {
			t.Errorf("outbox rows = %d, want %d (one per answered transaction)", n, rounds)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, batches, ops, largest := store.GroupCommitStats(s)
	t.Logf("batches of more than one op: %d, holding %d ops, largest %d", batches, ops, largest)
	if batches == 0 || largest < 2 {
		t.Fatal("no batch of more than one op formed under concurrency")
	}
}

// TestGroupCommitFailingOpAlone puts a create that violates a unique
// constraint into one pipeline with other creates and claims: it alone gets
// the error; every other op succeeds and is committed, and a jti used twice
// in the batch is fresh once, the transaction claimed once.
func TestGroupCommitFailingOpAlone(t *testing.T) {
	s := openGroupCommit(t)
	gcSetup(t, s)
	ctx := context.Background()
	for _, id := range []string{"dup", "claimme"} {
		if ok, err := gcCreate(t, s, gcTx(id)); !ok || err != nil {
			t.Fatalf("create %s: %v %v", id, ok, err)
		}
	}
	creates := []store.Transaction{gcTx("n1"), gcTx("dup"), gcTx("n2")}
	sameHash := gcTx("n3")
	sameHash.OTPHash = "h-n1" // unique otp_hash against n1 of the same batch
	creates = append(creates, sameHash)
	res, err := store.OneBatch(ctx, s, creates, []string{"j1", "j1", "j2"}, "claimme", gcEnr)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, true, false} {
		r := res[i]
		if want && (!r.Inserted || r.Err != nil) {
			t.Errorf("create %s: inserted=%v %v", creates[i].ID, r.Inserted, r.Err)
		}
		if !want && !errors.Is(r.Err, store.ErrConflict) {
			t.Errorf("create %s: want ErrConflict, got %v", creates[i].ID, r.Err)
		}
	}
	claims := res[len(creates):]
	if !claims[0].Fresh || !claims[0].Claimed || claims[0].Err != nil {
		t.Errorf("first claim: %+v", claims[0])
	}
	if claims[1].Fresh || claims[1].Claimed || claims[1].Err != nil {
		t.Errorf("same jti again in the batch: %+v", claims[1])
	}
	if !claims[2].Fresh || claims[2].Claimed || claims[2].Err != nil {
		t.Errorf("other jti, already claimed: %+v", claims[2])
	}
	if err := s.View(ctx, func(x store.Tx) error {
		for _, id := range []string{"n1", "n2"} {
			if _, err := x.GetTransaction(ctx, id); err != nil {
				t.Errorf("%s not committed: %v", id, err)
			}
		}
		if _, err := x.GetTransaction(ctx, "n3"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("n3: want ErrNotFound, got %v", err)
		}
		got, err := x.GetTransaction(ctx, "claimme")
		if err == nil && got.Status != store.StatusClaimed {
			t.Errorf("claimme status = %s", got.Status)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestGroupCommitOff: group_commit=off opens an unbatched store.
func TestGroupCommitOff(t *testing.T) {
	u, ok := storetest.PostgresURL(t)
	if !ok {
		t.Skip("OMA_TEST_POSTGRES_URL not set")
	}
	s, err := store.Open(context.Background(), u+"&group_commit=off")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if on, _, _, _ := store.GroupCommitStats(s); on {
		t.Fatal("group_commit=off left group commit on")
	}
	if _, err := store.Open(context.Background(), u+"&group_commit=maybe"); err == nil {
		t.Fatal("group_commit=maybe accepted")
	}
}

// TestGroupCommitCancelledAndClosed: an op whose context has ended is never
// sent (its jti stays unspent), and after Close an op fails instead of
// waiting.
func TestGroupCommitCancelledAndClosed(t *testing.T) {
	s := openGroupCommit(t)
	gcSetup(t, s)
	if ok, err := gcCreate(t, s, gcTx("x")); !ok || err != nil {
		t.Fatalf("create: %v %v", ok, err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 20 {
		if _, _, err := s.ClaimOnce(cancelled, "jc", 500, "x", gcEnr, "n", 1); !errors.Is(err, context.Canceled) {
			t.Fatalf("claim %d with a cancelled context: %v", i, err)
		}
	}
	fresh, claimed, err := s.ClaimOnce(context.Background(), "jc", 500, "x", gcEnr, "n", 1)
	if err != nil || !fresh || !claimed {
		t.Fatalf("claim after the cancelled ones: fresh=%v claimed=%v %v", fresh, claimed, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ClaimOnce(context.Background(), "jd", 500, "x", gcEnr, "n", 1); err == nil {
		t.Fatal("claim after Close succeeded")
	}
}
