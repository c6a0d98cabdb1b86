package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// BenchmarkOTPFlowWrites measures the store side of one OTP transaction on
// SQLite: the three write transactions (create; claim with its proof's jti;
// answer with its jti and the callback row) and the reads between them.
func BenchmarkOTPFlowWrites(b *testing.B) {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "oma.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("tx-%d", i)
		otpHash := protocol.HashOTP(protocol.NewOTP())
		must(b, s.InTx(ctx, func(x store.Tx) error {
			return x.CreateTransaction(ctx, store.Transaction{ID: id, OTPHash: otpHash, APIClientID: "rp", Type: "demo", Message: "Log in?", CreatedAt: 1, ExpiresAt: 1 << 50})
		}))
		must(b, s.View(ctx, func(x store.Tx) error {
			_, err := x.EnrollmentsOfProfile(ctx, "p")
			if err == nil {
				_, err = x.GetTransactionByOTPHash(ctx, otpHash)
			}
			return err
		}))
		must(b, s.InTx(ctx, func(x store.Tx) error {
			if _, err := x.UseJTI(ctx, "c:"+protocol.NewJTI(), 1<<50); err != nil {
				return err
			}
			_, err := x.ClaimTransaction(ctx, id, "p", "e", "u", "n", 2)
			return err
		}))
		must(b, s.View(ctx, func(x store.Tx) error {
			_, err := x.GetTransaction(ctx, id)
			return err
		}))
		must(b, s.InTx(ctx, func(x store.Tx) error {
			if _, err := x.UseJTI(ctx, "c:"+protocol.NewJTI(), 1<<50); err != nil {
				return err
			}
			if _, err := x.AnswerTransaction(ctx, id, "e", store.StatusAccepted, 3); err != nil {
				return err
			}
			return x.EnqueueCallback(ctx, store.Callback{ID: "cb-" + id, APIClientID: "rp", URL: "https://rp/cb", Body: "{}", NextAttemptAt: 3, CreatedAt: 3})
		}))
		must(b, s.View(ctx, func(x store.Tx) error {
			_, err := x.GetTransaction(ctx, id)
			return err
		}))
	}
}

func must(b *testing.B, err error) {
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOTPFlowCached measures the store side of one OTP transaction on
// the server's cached fast path, on SQLite: the create (one autocommitted
// INSERT), ClaimOnce and AnswerOnce (with the callback row); no reads.
func BenchmarkOTPFlowCached(b *testing.B) {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "oma.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	e := store.Enrollment{ID: "e", ProfileID: "p", ClientID: "c", UserID: "u", PublicKey: "k", Certificate: "c", CreatedAt: 1}
	must(b, s.InTx(ctx, func(x store.Tx) error { return x.CreateEnrollment(ctx, e) }))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("tx-%d", i)
		must(b, s.Autocommit(ctx, func(x store.Tx) error {
			return x.CreateTransaction(ctx, store.Transaction{ID: id, OTPHash: protocol.HashOTP(protocol.NewOTP()), APIClientID: "rp", Type: "demo", Message: "Log in?", CreatedAt: 1, ExpiresAt: 1 << 50})
		}))
		if _, ok, err := s.ClaimOnce(ctx, "c:"+protocol.NewJTI(), 1<<50, id, e, "n", 2); err != nil || !ok {
			b.Fatalf("claim: %v %v", ok, err)
		}
		cb := &store.Callback{ID: "cb-" + id, APIClientID: "rp", URL: "https://rp/cb", Body: "{}", NextAttemptAt: 3, CreatedAt: 3}
		if _, ok, err := s.AnswerOnce(ctx, "c:"+protocol.NewJTI(), 1<<50, id, e, "n", store.StatusAccepted, 3, cb); err != nil || !ok {
			b.Fatalf("answer: %v %v", ok, err)
		}
	}
}
