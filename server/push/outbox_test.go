package push

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/store/storetest"
)

// The push outbox on the shared outbox.Retrier, with the real FCM sender
// against a loopback Google: a provider's Retry-After pushes the next
// attempt out; retryable failures are given up once the next attempt would
// come after the request's expiry (before the attempt budget); an
// unregistered token finishes the job and invalidates the target; a
// delivery finishes it. Both stores.
func TestOutboxRetriesGiveUpAndOutcomes(t *testing.T) {
	ctx := context.Background()
	urls := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "p.db")}
	if u, ok := storetest.PostgresURL(t); ok {
		urls["postgres"] = u
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			st, err := store.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			g, sa := newFakeGoogle(t)
			o := NewOutbox(st, newTestFCM(t, g, sa), "https://oma.example", OutboxConfig{MaxAttempts: 100, BaseBackoff: 10 * time.Second,
				MaxBackoff: 10 * time.Second, PollInterval: 10 * time.Millisecond, Timeout: 5 * time.Second}, zerolog.Nop())
			now := time.Now().UnixMilli()
			job := func(token string, ttl time.Duration) store.PushJob {
				t.Helper()
				id := protocol.RandomToken(8)
				var j store.PushJob
				if err := st.InTx(ctx, func(tx store.Tx) error {
					tr := store.Transaction{ID: "tx-" + id, OTPHash: "h-" + id, APIClientID: "rp", Type: "push", Message: "m", BoundUserID: "u",
						Status: store.StatusPending, CreatedAt: now, ExpiresAt: now + ttl.Milliseconds()}
					if err := tx.CreateTransaction(ctx, tr); err != nil {
						return err
					}
					e := store.Enrollment{ID: "e-" + id, ProfileID: "p-" + id, ClientID: "c", UserID: "u", PublicKey: "k", Certificate: "c", CreatedAt: now}
					if err := tx.CreateEnrollment(ctx, e); err != nil {
						return err
					}
					tg := store.PushTarget{EnrollmentID: e.ID, Provider: "fcm", Token: token, UpdatedAt: now, ProfileID: e.ProfileID}
					if err := tx.PutPushTarget(ctx, tg); err != nil {
						return err
					}
					j = NewJob(tr.ID, tg, now, tr.ExpiresAt)
					return tx.EnqueuePush(ctx, j)
				}); err != nil {
					t.Fatal(err)
				}
				return j
			}
			get := func(id string) store.PushJob {
				t.Helper()
				var j store.PushJob
				if err := st.View(ctx, func(tx store.Tx) (err error) { j, err = tx.GetPushJob(ctx, id); return }); err != nil {
					t.Fatal(err)
				}
				return j
			}
			quota := job("tok-quota", time.Hour)
			// Its first failure schedules the next attempt 10 s on, after the
			// request's expiry: given up at once.
			flaky := job("tok-5xx", 3*time.Second)
			gone := job("tok-gone", time.Hour)
			ok := job("tok-ok", time.Hour)

			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { o.Run(runCtx); close(done) }()
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) && (get(flaky.ID).Attempts == 0 || get(quota.ID).Attempts == 0 || get(gone.ID).DoneAt == 0 || get(ok.ID).DoneAt == 0) {
				time.Sleep(20 * time.Millisecond)
			}
			cancel()
			<-done

			if j := get(quota.ID); j.DoneAt != 0 || j.Attempts != 1 || j.NextAttemptAt < now+17_000 {
				t.Errorf("Retry-After 17 s: %+v", j)
			}
			if j := get(flaky.ID); j.Outcome != store.PushFailed || !strings.HasPrefix(j.LastError, "gave_up:") || j.Attempts != 1 {
				t.Errorf("given up at the request's expiry: %+v", j)
			}
			if j := get(gone.ID); j.Outcome != store.PushTokenInvalid || j.Attempts != 1 {
				t.Errorf("unregistered token: %+v", j)
			}
			var tg store.PushTarget
			_ = st.View(ctx, func(tx store.Tx) (err error) { tg, err = tx.GetPushTarget(ctx, gone.EnrollmentID); return })
			if !tg.Invalid {
				t.Errorf("target not invalidated: %+v", tg)
			}
			if j := get(ok.ID); j.Outcome != store.PushDelivered || j.Attempts != 1 {
				t.Errorf("delivered: %+v", j)
			}
		})
	}
}
