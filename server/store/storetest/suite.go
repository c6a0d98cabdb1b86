package storetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/openmobileauth/oma/server/store"
)

// Run runs the conformance suite; open must return a fresh, empty store for
// each subtest (it may register cleanup on t).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("Settings", func(t *testing.T) { testSettings(t, open(t)) })
	t.Run("APIClientsAndTypes", func(t *testing.T) { testAPIClients(t, open(t)) })
	t.Run("Applications", func(t *testing.T) { testApplications(t, open(t)) })
	t.Run("UsersAndLock", func(t *testing.T) { testUsers(t, open(t)) })
	t.Run("ReplayCache", func(t *testing.T) { testReplayCache(t, open(t)) })
	t.Run("AuthCodeSingleUse", func(t *testing.T) { testAuthCode(t, open(t)) })
	t.Run("ProfilePinCounterAndCascade", func(t *testing.T) { testProfiles(t, open(t)) })
	t.Run("ProfileLock", func(t *testing.T) { testProfileLock(t, open(t)) })
	t.Run("TokenFamily", func(t *testing.T) { testTokenFamily(t, open(t)) })
	t.Run("TransactionLifecycle", func(t *testing.T) { testTransactions(t, open(t)) })
	t.Run("ClaimRace", func(t *testing.T) { testClaimRace(t, open(t)) })
	t.Run("AnswerRace", func(t *testing.T) { testAnswerRace(t, open(t)) })
	t.Run("RollbackLosesNothingElse", func(t *testing.T) { testRollback(t, open(t)) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open(t)) })
	t.Run("PurgeExpired", func(t *testing.T) { testPurge(t, open(t)) })
	t.Run("ClaimOnceAnswerOnce", func(t *testing.T) { testOnce(t, open(t)) })
	t.Run("ClaimOnceRace", func(t *testing.T) { testOnceRace(t, open(t)) })
	t.Run("OnceEnrollmentAndNonce", func(t *testing.T) { testOnceConditions(t, open(t)) })
	t.Run("JoinedReadsAndUserBoundInsert", func(t *testing.T) { testJoined(t, open(t)) })
}

// enrE claims and answers in the ClaimOnce/AnswerOnce cases; enrOther is
// another device's enrollment.
var (
	enrE     = store.Enrollment{ID: "e", ProfileID: "p", ClientID: "c", UserID: "u", PublicKey: "k", Certificate: "c", CreatedAt: 1}
	enrOther = store.Enrollment{ID: "other", ProfileID: "p2", ClientID: "c2", UserID: "u2", PublicKey: "k2", Certificate: "c2", CreatedAt: 1}
)

func enrollBoth(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		if err := x.CreateEnrollment(ctx, enrE); err != nil {
			return err
		}
		return x.CreateEnrollment(ctx, enrOther)
	})
}

func testOnce(t *testing.T, s store.Store) {
	enrollBoth(t, s)
	if err := s.Autocommit(ctx, func(x store.Tx) error { return x.CreateTransaction(ctx, newTx("o", 1000)) }); err != nil {
		t.Fatal(err)
	}
	fresh, claimed, err := s.ClaimOnce(ctx, "j1", 500, "o", enrE, "n", 1000)
	if err != nil || !fresh || claimed {
		t.Fatalf("claim at expiry: fresh=%v claimed=%v %v", fresh, claimed, err)
	}
	fresh, claimed, err = s.ClaimOnce(ctx, "j1", 500, "o", enrE, "n", 1)
	if err != nil || fresh || claimed {
		t.Fatalf("claim with a spent jti: fresh=%v claimed=%v %v", fresh, claimed, err)
	}
	fresh, claimed, err = s.ClaimOnce(ctx, "j2", 500, "o", enrE, "n", 1)
	if err != nil || !fresh || !claimed {
		t.Fatalf("claim: fresh=%v claimed=%v %v", fresh, claimed, err)
	}
	cb := &store.Callback{ID: "cb1", APIClientID: "rp", URL: "https://rp/cb", Body: `{"x":1}`, NextAttemptAt: 7, CreatedAt: 7}
	fresh, answered, err := s.AnswerOnce(ctx, "j3", 500, "o", enrOther, "n", store.StatusAccepted, 2, cb)
	if err != nil || !fresh || answered {
		t.Fatalf("answer by another enrollment: fresh=%v answered=%v %v", fresh, answered, err)
	}
	fresh, answered, err = s.AnswerOnce(ctx, "j3", 500, "o", enrE, "n", store.StatusAccepted, 2, cb)
	if err != nil || fresh || answered {
		t.Fatalf("answer with a spent jti: fresh=%v answered=%v %v", fresh, answered, err)
	}
	tx(t, s, func(x store.Tx) error {
		if n, _ := x.PendingCallbacks(ctx); n != 0 {
			t.Errorf("callback queued by a refused answer: %d", n)
		}
		return nil
	})
	fresh, answered, err = s.AnswerOnce(ctx, "j4", 500, "o", enrE, "n", store.StatusDenied, 3, cb)
	if err != nil || !fresh || !answered {
		t.Fatalf("answer: fresh=%v answered=%v %v", fresh, answered, err)
	}
	fresh, answered, err = s.AnswerOnce(ctx, "j5", 500, "o", enrE, "n", store.StatusAccepted, 3, &store.Callback{ID: "cb2", URL: "u", Body: "{}"})
	if err != nil || !fresh || answered {
		t.Fatalf("second answer: fresh=%v answered=%v %v", fresh, answered, err)
	}
	tx(t, s, func(x store.Tx) error {
		got, _ := x.GetTransaction(ctx, "o")
		if got.Status != store.StatusDenied || got.AnsweredAt != 3 || got.EnrollmentID != "e" || got.Nonce != "n" {
			t.Errorf("transaction %+v", got)
		}
		c, err := x.GetCallback(ctx, "cb1")
		if err != nil || c.Body != `{"x":1}` || c.NextAttemptAt != 7 || c.Attempts != 0 || c.Dead || c.DeliveredAt != 0 {
			t.Errorf("callback %+v %v", c, err)
		}
		if _, err := x.GetCallback(ctx, "cb2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("callback of the losing answer: %v", err)
		}
		return nil
	})
	// Without a callback.
	if err := s.Autocommit(ctx, func(x store.Tx) error { return x.CreateTransaction(ctx, newTx("o2", 1000)) }); err != nil {
		t.Fatal(err)
	}
	if _, c, _ := s.ClaimOnce(ctx, "j6", 500, "o2", enrE, "n", 1); !c {
		t.Fatal("claim o2")
	}
	if _, a, err := s.AnswerOnce(ctx, "j7", 500, "o2", enrE, "n", store.StatusAccepted, 2, nil); !a || err != nil {
		t.Fatalf("answer without callback: %v %v", a, err)
	}
}

func testOnceRace(t *testing.T, s store.Store) {
	enrollBoth(t, s)
	tx(t, s, func(x store.Tx) error { return x.CreateTransaction(ctx, newTx("r", 1000)) })
	var claims, answers, stale atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			jti := "jc" + string(rune('a'+i%5)) // half the racers reuse a jti
			fresh, claimed, err := s.ClaimOnce(ctx, jti, 500, "r", enrE, "n", 1)
			if err != nil {
				t.Errorf("claim: %v", err)
			}
			if claimed {
				claims.Add(1)
			}
			if !fresh {
				stale.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if claims.Load() != 1 || stale.Load() != 5 {
		t.Fatalf("claims = %d (want 1), spent-jti refusals = %d (want 5)", claims.Load(), stale.Load())
	}
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cb := &store.Callback{ID: "rcb" + string(rune('a'+i)), URL: "u", Body: "{}"}
			_, answered, err := s.AnswerOnce(ctx, "ja"+string(rune('a'+i)), 500, "r", enrE, "n", store.StatusAccepted, 2, cb)
			if err != nil {
				t.Errorf("answer: %v", err)
			}
			if answered {
				answers.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if answers.Load() != 1 {
		t.Fatalf("answers = %d, want 1", answers.Load())
	}
	tx(t, s, func(x store.Tx) error {
		if n, _ := x.PendingCallbacks(ctx); n != 1 {
			t.Errorf("callbacks queued = %d, want 1", n)
		}
		return nil
	})
}

func testPurge(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		for _, err := range []error{
			x.CreateAuthCode(ctx, store.AuthCode{CodeHash: "old", ExpiresAt: 10}),
			x.CreateAuthCode(ctx, store.AuthCode{CodeHash: "new", ExpiresAt: 1000}),
			x.CreateToken(ctx, store.Token{Hash: "old", Kind: store.TokenAccess, ExpiresAt: 10}),
			x.CreateToken(ctx, store.Token{Hash: "new", Kind: store.TokenAccess, ExpiresAt: 1000}),
			x.CreateTransaction(ctx, newTx("old", 5)),
			x.CreateTransaction(ctx, newTx("recent", 50)),
			x.EnqueueCallback(ctx, store.Callback{ID: "done", CreatedAt: 1, DeliveredAt: 2}),
			x.EnqueueCallback(ctx, store.Callback{ID: "dead", CreatedAt: 1, Dead: true}),
			x.EnqueueCallback(ctx, store.Callback{ID: "live", CreatedAt: 1}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	tx(t, s, func(x store.Tx) error {
		n, err := x.PurgeExpired(ctx, 100, 20)
		if err != nil || n != 5 {
			t.Errorf("purged %d, %v; want 5", n, err)
		}
		if _, err := x.TakeAuthCode(ctx, "new"); err != nil {
			t.Errorf("live code purged: %v", err)
		}
		if _, err := x.GetToken(ctx, "new"); err != nil {
			t.Errorf("live token purged: %v", err)
		}
		if _, err := x.GetTransaction(ctx, "recent"); err != nil {
			t.Errorf("recent transaction purged: %v", err)
		}
		if _, err := x.GetTransaction(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old transaction kept: %v", err)
		}
		if _, err := x.GetCallback(ctx, "live"); err != nil {
			t.Errorf("undelivered callback purged: %v", err)
		}
		return nil
	})
}

func tx(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

var ctx = context.Background()

func testSettings(t *testing.T, s store.Store) {
	if err := s.View(ctx, func(x store.Tx) error {
		_, err := x.GetSetting(ctx, "policy")
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing setting: err = %v, want ErrNotFound", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tx(t, s, func(x store.Tx) error { return x.PutSetting(ctx, "policy", "single") })
	tx(t, s, func(x store.Tx) error { return x.PutSetting(ctx, "policy", "multiple") })
	tx(t, s, func(x store.Tx) error {
		v, err := x.GetSetting(ctx, "policy")
		if err != nil || v != "multiple" {
			t.Errorf("setting = %q, %v; want multiple", v, err)
		}
		if ok, err := x.InsertSetting(ctx, "policy", "single"); err != nil || ok {
			t.Errorf("InsertSetting over an existing key: %v %v", ok, err)
		}
		if ok, err := x.InsertSetting(ctx, "fresh", "1"); err != nil || !ok {
			t.Errorf("InsertSetting of a new key: %v %v", ok, err)
		}
		if v, _ := x.GetSetting(ctx, "policy"); v != "multiple" {
			t.Errorf("InsertSetting overwrote: %q", v)
		}
		if err := x.DeleteSetting(ctx, "policy"); err != nil {
			return err
		}
		if err := x.DeleteSetting(ctx, "policy"); err != nil {
			t.Errorf("deleting an absent setting: %v", err)
		}
		if _, err := x.GetSetting(ctx, "policy"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted setting: %v", err)
		}
		return nil
	})
}

func testAPIClients(t *testing.T, s store.Store) {
	c := store.APIClient{ID: "rp", SecretHash: store.HashAPISecret("s3cret"), CallbackKey: "cbkey", CallbackKeyID: "k1", CallbackURIs: []string{"https://a/cb", "https://b/cb"}, MaxMessageLen: 200, CreatedAt: 1}
	tx(t, s, func(x store.Tx) error { return x.CreateAPIClient(ctx, c) })
	err := s.InTx(ctx, func(x store.Tx) error { return x.CreateAPIClient(ctx, c) })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate API client: err = %v, want ErrConflict", err)
	}
	tx(t, s, func(x store.Tx) error {
		got, err := x.GetAPIClient(ctx, "rp")
		if err != nil || !store.VerifyAPISecret(got.SecretHash, "s3cret") || store.VerifyAPISecret(got.SecretHash, "s3creT") || got.CallbackKey != "cbkey" || got.CallbackKeyID != "k1" || len(got.CallbackURIs) != 2 || got.CallbackURIs[1] != "https://b/cb" || got.MaxMessageLen != 200 {
			t.Errorf("GetAPIClient = %+v, %v", got, err)
		}
		got.Disabled = true
		got.CallbackURIs = nil
		got.CallbackKey, got.CallbackKeyID = "cbkey2", "k2"
		if err := x.UpdateAPIClient(ctx, got); err != nil {
			return err
		}
		got, _ = x.GetAPIClient(ctx, "rp")
		if !got.Disabled || len(got.CallbackURIs) != 0 || got.CallbackKey != "cbkey2" || got.CallbackKeyID != "k2" {
			t.Errorf("after update: %+v", got)
		}
		if err := x.UpdateAPIClient(ctx, store.APIClient{ID: "nope"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update missing: %v", err)
		}
		list, err := x.ListAPIClients(ctx)
		if err != nil || len(list) != 1 {
			t.Errorf("ListAPIClients = %v, %v", list, err)
		}
		if err := x.PutOTPType(ctx, store.OTPType{Name: "login", ExpirySecs: 300, MessageTemplate: "{message}"}); err != nil {
			return err
		}
		if err := x.PutOTPType(ctx, store.OTPType{Name: "login", ExpirySecs: 60, MessageTemplate: "Confirm: {message}"}); err != nil {
			return err
		}
		o, err := x.GetOTPType(ctx, "login")
		if err != nil || o.ExpirySecs != 60 || o.MessageTemplate != "Confirm: {message}" {
			t.Errorf("GetOTPType = %+v, %v", o, err)
		}
		types, err := x.ListOTPTypes(ctx)
		if err != nil || len(types) != 1 {
			t.Errorf("ListOTPTypes = %v, %v", types, err)
		}
		_, err = x.GetOTPType(ctx, "none")
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing type: %v", err)
		}
		return nil
	})
}

func testUsers(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		return x.CreateUser(ctx, store.User{ID: "alice", PasswordHash: "h", CreatedAt: 1})
	})
	if err := s.InTx(ctx, func(x store.Tx) error { return x.CreateUser(ctx, store.User{ID: "alice", PasswordHash: "h"}) }); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate user: %v", err)
	}
	tx(t, s, func(x store.Tx) error {
		if err := x.LockUser(ctx, "alice"); err != nil {
			t.Errorf("LockUser: %v", err)
		}
		if err := x.LockUser(ctx, "bob"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LockUser missing: %v", err)
		}
		u, err := x.GetUser(ctx, "alice")
		if err != nil || u.PasswordHash != "h" {
			t.Errorf("GetUser = %+v, %v", u, err)
		}
		return nil
	})
}

func testReplayCache(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		ok, err := x.UseJTI(ctx, "j1", 100)
		if err != nil || !ok {
			t.Errorf("first use: %v %v", ok, err)
		}
		ok, err = x.UseJTI(ctx, "j1", 100)
		if err != nil || ok {
			t.Errorf("second use accepted: %v %v", ok, err)
		}
		_, _ = x.UseJTI(ctx, "j2", 300)
		n, err := x.PurgeJTIs(ctx, 200)
		if err != nil || n != 1 {
			t.Errorf("purge = %d, %v; want 1", n, err)
		}
		ok, _ = x.UseJTI(ctx, "j1", 400)
		if !ok {
			t.Error("purged jti not reusable")
		}
		ok, _ = x.UseJTI(ctx, "j2", 400)
		if ok {
			t.Error("live jti reusable after purge")
		}
		return nil
	})
	// Concurrent inserts of one jti: exactly one wins.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.InTx(ctx, func(x store.Tx) error {
				ok, err := x.UseJTI(ctx, "race", 1000)
				if ok {
					wins.Add(1)
				}
				return err
			})
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("concurrent jti wins = %d, want 1", wins.Load())
	}
}

func testAuthCode(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		return x.CreateAuthCode(ctx, store.AuthCode{CodeHash: "c", ClientID: "cl", UserID: "u", RedirectURI: "app://cb", CodeChallenge: "ch", Scope: "s", ExpiresAt: 10})
	})
	tx(t, s, func(x store.Tx) error {
		c, err := x.TakeAuthCode(ctx, "c")
		if err != nil || c.UserID != "u" || c.CodeChallenge != "ch" || c.ExpiresAt != 10 {
			t.Errorf("TakeAuthCode = %+v, %v", c, err)
		}
		if _, err := x.TakeAuthCode(ctx, "c"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second take: %v", err)
		}
		return nil
	})
}

func testProfiles(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		if err := x.CreateClient(ctx, store.Client{ID: "cl", PublicKey: "k", AppID: "a", RedirectURI: "app://cb"}); err != nil {
			return err
		}
		if err := x.CreateProfile(ctx, store.Profile{ID: "p", ClientID: "cl", UserID: "u", PinHash: "ph"}); err != nil {
			return err
		}
		if err := x.CreateToken(ctx, store.Token{Hash: "t1", Kind: store.TokenAccess, ProfileID: "p", ClientID: "cl", UserID: "u", ExpiresAt: 5}); err != nil {
			return err
		}
		if err := x.CreateToken(ctx, store.Token{Hash: "t2", Kind: store.TokenRefresh, ProfileID: "p", ClientID: "cl", UserID: "u", ExpiresAt: 5}); err != nil {
			return err
		}
		return x.CreateEnrollment(ctx, store.Enrollment{ID: "e", ProfileID: "p", ClientID: "cl", UserID: "u", PublicKey: "pk", Certificate: "c"})
	})
	tx(t, s, func(x store.Tx) error {
		for want := 1; want <= 3; want++ {
			n, err := x.AddPinFailure(ctx, "p")
			if err != nil || n != want {
				t.Errorf("AddPinFailure = %d, %v; want %d", n, err, want)
			}
		}
		if err := x.ResetPinFailures(ctx, "p"); err != nil {
			return err
		}
		p, err := x.GetProfile(ctx, "p")
		if err != nil || p.PinFailures != 0 || p.PinHash != "ph" {
			t.Errorf("after reset: %+v, %v", p, err)
		}
		if _, err := x.AddPinFailure(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("AddPinFailure missing: %v", err)
		}
		k, err := x.GetToken(ctx, "t1")
		if err != nil || k.Kind != store.TokenAccess || k.ProfileID != "p" {
			t.Errorf("GetToken = %+v, %v", k, err)
		}
		if err := x.DeleteToken(ctx, "t1"); err != nil {
			return err
		}
		if _, err := x.GetToken(ctx, "t1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted token: %v", err)
		}
		es, err := x.EnrollmentsOfUser(ctx, "u")
		if err != nil || len(es) != 1 || es[0].ID != "e" {
			t.Errorf("EnrollmentsOfUser = %v, %v", es, err)
		}
		return x.DeleteProfile(ctx, "p")
	})
	tx(t, s, func(x store.Tx) error {
		if _, err := x.GetProfile(ctx, "p"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("profile after delete: %v", err)
		}
		if _, err := x.GetToken(ctx, "t2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token after profile delete: %v", err)
		}
		if es, _ := x.EnrollmentsOfProfile(ctx, "p"); len(es) != 0 {
			t.Errorf("enrollments after profile delete: %v", es)
		}
		if _, err := x.GetClient(ctx, "cl"); err != nil {
			t.Errorf("client must survive profile delete: %v", err)
		}
		return nil
	})
}

func newTx(id string, exp int64) store.Transaction {
	return store.Transaction{ID: id, OTPHash: "h-" + id, APIClientID: "rp", Type: "login", Message: "Log in?", CallbackURI: "https://rp/cb", CreatedAt: 1, ExpiresAt: exp}
}

func testTransactions(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error { return x.CreateTransaction(ctx, newTx("t1", 1000)) })
	tx(t, s, func(x store.Tx) error {
		got, err := x.GetTransactionByOTPHash(ctx, "h-t1")
		if err != nil || got.ID != "t1" || got.Status != store.StatusPending || got.Message != "Log in?" {
			t.Errorf("by hash = %+v, %v", got, err)
		}
		if ok, _ := x.ClaimTransaction(ctx, "t1", "p", "e", "u", "n", 1000); ok {
			t.Error("claim at expiry accepted")
		}
		if ok, err := x.ClaimTransaction(ctx, "t1", "p", "e", "u", "n", 999); !ok || err != nil {
			t.Errorf("claim before expiry: %v %v", ok, err)
		}
		if ok, _ := x.ClaimTransaction(ctx, "t1", "p2", "e2", "u2", "n2", 999); ok {
			t.Error("second claim accepted")
		}
		if ok, _ := x.AnswerTransaction(ctx, "t1", "other", store.StatusAccepted, 999); ok {
			t.Error("answer by a non-claiming enrollment accepted")
		}
		if ok, _ := x.AnswerTransaction(ctx, "t1", "e", store.StatusAccepted, 1000); ok {
			t.Error("answer at expiry accepted")
		}
		if ok, err := x.AnswerTransaction(ctx, "t1", "e", store.StatusDenied, 998); !ok || err != nil {
			t.Errorf("answer: %v %v", ok, err)
		}
		if ok, _ := x.AnswerTransaction(ctx, "t1", "e", store.StatusAccepted, 998); ok {
			t.Error("second answer accepted")
		}
		got, _ = x.GetTransaction(ctx, "t1")
		if got.Status != store.StatusDenied || got.AnsweredAt != 998 || got.UserID != "u" || got.Nonce != "n" || got.EnrollmentID != "e" {
			t.Errorf("final = %+v", got)
		}
		if _, err := x.GetTransaction(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing: %v", err)
		}
		return nil
	})
	if err := s.InTx(ctx, func(x store.Tx) error { return x.CreateTransaction(ctx, newTx("t1", 5)) }); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate transaction: %v", err)
	}
}

func race(t *testing.T, s store.Store, n int, fn func(i int, x store.Tx) (bool, error)) int32 {
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := s.InTx(ctx, func(x store.Tx) error {
				ok, err := fn(i, x)
				if ok {
					wins.Add(1)
				}
				return err
			})
			if err != nil {
				t.Errorf("racer %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	return wins.Load()
}

func testClaimRace(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error { return x.CreateTransaction(ctx, newTx("r", 1000)) })
	w := race(t, s, 10, func(i int, x store.Tx) (bool, error) {
		return x.ClaimTransaction(ctx, "r", "p", string(rune('a'+i)), "u", "n", 1)
	})
	if w != 1 {
		t.Errorf("claim winners = %d, want 1", w)
	}
}

func testAnswerRace(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		if err := x.CreateTransaction(ctx, newTx("r", 1000)); err != nil {
			return err
		}
		_, err := x.ClaimTransaction(ctx, "r", "p", "e", "u", "n", 1)
		return err
	})
	w := race(t, s, 10, func(i int, x store.Tx) (bool, error) {
		st := store.StatusAccepted
		if i%2 == 1 {
			st = store.StatusDenied
		}
		return x.AnswerTransaction(ctx, "r", "e", st, 2)
	})
	if w != 1 {
		t.Errorf("answer winners = %d, want 1", w)
	}
}

func testRollback(t *testing.T, s store.Store) {
	boom := errors.New("boom")
	err := s.InTx(ctx, func(x store.Tx) error {
		if err := x.CreateTransaction(ctx, newTx("rb", 1000)); err != nil {
			return err
		}
		if err := x.EnqueueCallback(ctx, store.Callback{ID: "cb", URL: "u", Body: "{}", NextAttemptAt: 1}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx err = %v, want boom", err)
	}
	tx(t, s, func(x store.Tx) error {
		if _, err := x.GetTransaction(ctx, "rb"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back transaction visible: %v", err)
		}
		if n, _ := x.PendingCallbacks(ctx); n != 0 {
			t.Errorf("rolled-back callback visible: %d", n)
		}
		return nil
	})
}

func testOutbox(t *testing.T, s store.Store) {
	tx(t, s, func(x store.Tx) error {
		for _, c := range []store.Callback{
			{ID: "a", APIClientID: "rp", URL: "https://rp/a", Body: `{"a":1}`, NextAttemptAt: 10, CreatedAt: 1},
			{ID: "b", APIClientID: "rp", URL: "https://rp/b", Body: `{"b":1}`, NextAttemptAt: 20, CreatedAt: 1},
			{ID: "c", APIClientID: "rp", URL: "https://rp/c", Body: `{"c":1}`, NextAttemptAt: 99, CreatedAt: 1},
		} {
			if err := x.EnqueueCallback(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	tx(t, s, func(x store.Tx) error {
		due, err := x.DueCallbacks(ctx, 50, 10)
		if err != nil || len(due) != 2 || due[0].ID != "a" || due[1].Body != `{"b":1}` {
			t.Errorf("DueCallbacks = %+v, %v", due, err)
		}
		if ok, _ := x.LeaseCallback(ctx, "a", 10, 60); !ok {
			t.Error("lease a failed")
		}
		if ok, _ := x.LeaseCallback(ctx, "a", 10, 70); ok {
			t.Error("double lease succeeded")
		}
		if err := x.MarkCallbackDelivered(ctx, "a", 55); err != nil {
			return err
		}
		if err := x.RescheduleCallback(ctx, "b", 1, 200, "HTTP 500", false); err != nil {
			return err
		}
		if err := x.RescheduleCallback(ctx, "c", 10, 300, "HTTP 500", true); err != nil {
			return err
		}
		due, _ = x.DueCallbacks(ctx, 150, 10)
		if len(due) != 0 {
			t.Errorf("due at 150 = %+v, want none", due)
		}
		due, _ = x.DueCallbacks(ctx, 1000, 10)
		if len(due) != 1 || due[0].ID != "b" || due[0].Attempts != 1 || due[0].LastError != "HTTP 500" {
			t.Errorf("due at 1000 = %+v", due)
		}
		a, err := x.GetCallback(ctx, "a")
		if err != nil || a.DeliveredAt != 55 || a.Attempts != 1 {
			t.Errorf("delivered row = %+v, %v", a, err)
		}
		n, _ := x.PendingCallbacks(ctx)
		if n != 1 {
			t.Errorf("PendingCallbacks = %d, want 1", n)
		}
		return nil
	})
}
