package server_test

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// claimed returns a device and a fresh claim of a new request.
func claimed(t *testing.T, ts *servertest.TestServer, d *servertest.Device) (string, protocol.ClaimResponse) {
	t.Helper()
	id, otp := newRequest(t, ts, rp.CreateParams{})
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	return id, c
}

// Invariant 4: a tampered answer is rejected and the transaction stays open.
func TestAnswerTamperingRejected(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		ts.SetPolicy("multiple")
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		other := ts.Enrolled(ts.CreateUser("mallory", "mallory-password"), "mallory-password", "24680")
		id, c := claimed(t, ts, d)

		cases := map[string]func() protocol.AnswerRequest{
			"changed message": func() protocol.AnswerRequest {
				return d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.MessageHash = protocol.MessageHash(c.Message + " and pay 1000 EUR") })
			},
			"swapped decision": func() protocol.AnswerRequest {
				a := d.SignedAnswer(c, protocol.DecisionDeny, nil)
				a.Decision = protocol.DecisionAccept // signature was over deny
				return a
			},
			"wrong nonce": func() protocol.AnswerRequest {
				return d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.Nonce = protocol.RandomToken(16) })
			},
			"stale time": func() protocol.AnswerRequest {
				return d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.Time = time.Now().Unix() - protocol.AnswerMaxAgeSecs - 1 })
			},
			"future time": func() protocol.AnswerRequest {
				return d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.Time = time.Now().Unix() + protocol.AnswerMaxAgeSecs + 5 })
			},
			"signed by another device's key": func() protocol.AnswerRequest {
				a := other.SignedAnswer(c, protocol.DecisionAccept, nil)
				a.ProfileID = d.ProfileID
				return a
			},
			"time changed after signing": func() protocol.AnswerRequest {
				a := d.SignedAnswer(c, protocol.DecisionAccept, nil)
				a.Time--
				return a
			},
		}
		for name, mk := range cases {
			_, err := d.Answer(mk())
			if err == nil {
				t.Fatalf("%s: accepted", name)
			}
			wantErr(t, err, protocol.ErrInvalidAnswer)
		}
		// The other device cannot answer with its own valid signature either
		// (it did not claim this transaction).
		_, err := other.Answer(other.SignedAnswer(c, protocol.DecisionAccept, nil))
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, id); s != "claimed" {
			t.Fatalf("after rejected answers status = %s, want claimed", s)
		}
		// The genuine answer still works once, and only once.
		good := d.SignedAnswer(c, protocol.DecisionDeny, nil)
		if ar, err := d.Answer(good); err != nil || ar.Status != "denied" {
			t.Fatalf("genuine answer: %+v %v", ar, err)
		}
		_, err = d.Answer(good) // replayed answer (fresh proof, same signed body)
		wantErr(t, err, protocol.ErrAlreadyHandled)
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)) // change of mind
		wantErr(t, err, protocol.ErrAlreadyHandled)
		tr, _ := ts.Transaction(ctx, id)
		if tr.Status != "denied" || tr.IsAuthenticated || tr.NotAuthenticatedReason.Reason != "not_accepted" {
			t.Fatalf("final = %+v", tr)
		}
	})
}

// Invariant 4: an answer after the expiry is rejected.
func TestLateAnswerRejected(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id, c := claimed(t, ts, d)
		a := d.SignedAnswer(c, protocol.DecisionAccept, nil)
		ts.Clock.Advance(5 * time.Minute)
		_, err := d.Answer(a)
		wantErr(t, err, protocol.ErrInvalidAnswer)
		if s := status(t, ts, id); s != "expired" {
			t.Fatalf("status = %s, want expired", s)
		}
	})
}

// Invariant 4: two devices racing for one transaction: one claim wins, and
// of many concurrent answers exactly one is recorded (one callback queued).
func TestRaceExactlyOnce(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		ts.SetPolicy("multiple")
		cb := "https://rp.example/callback"
		ts.AllowCallback(cb)
		devs := []*servertest.Device{
			ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579"),
			ts.Enrolled(ts.DemoUser, ts.DemoPassword, "24680"),
			ts.Enrolled(ts.CreateUser("carol", "carol-password"), "carol-password", "97531"),
		}
		for round := 0; round < 3; round++ {
			id, otp := newRequest(t, ts, rp.CreateParams{CallbackURI: cb})
			var wins atomic.Int32
			var winner atomic.Pointer[servertest.Device]
			var claim atomic.Pointer[protocol.ClaimResponse]
			var wg sync.WaitGroup
			for i := 0; i < 6; i++ {
				d := devs[i%len(devs)]
				wg.Add(1)
				go func() {
					defer wg.Done()
					c, err := d.Claim(otp)
					if err == nil {
						wins.Add(1)
						winner.Store(d)
						claim.Store(&c)
					} else if ae, ok := err.(*servertest.APIError); !ok || ae.ErrorResponse.Error != protocol.ErrAlreadyHandled {
						t.Errorf("losing claim: %v", err)
					}
				}()
			}
			wg.Wait()
			if wins.Load() != 1 {
				t.Fatalf("claims won = %d, want 1", wins.Load())
			}
			d, c := winner.Load(), *claim.Load()
			var accepted, denied atomic.Int32
			for i := 0; i < 8; i++ {
				dec := protocol.DecisionAccept
				if i%2 == 1 {
					dec = protocol.DecisionDeny
				}
				a := d.SignedAnswer(c, dec, nil)
				wg.Add(1)
				go func() {
					defer wg.Done()
					ar, err := d.Answer(a)
					switch {
					case err == nil && ar.Status == "accepted":
						accepted.Add(1)
					case err == nil && ar.Status == "denied":
						denied.Add(1)
					case err != nil:
						if ae, ok := err.(*servertest.APIError); !ok || ae.Status != http.StatusConflict {
							t.Errorf("losing answer: %v", err)
						}
					}
				}()
			}
			wg.Wait()
			if accepted.Load()+denied.Load() != 1 {
				t.Fatalf("answers recorded = %d accepted + %d denied, want exactly 1", accepted.Load(), denied.Load())
			}
			want := "accepted"
			if denied.Load() == 1 {
				want = "denied"
			}
			if s := status(t, ts, id); s != want {
				t.Fatalf("status %s, winner said %s", s, want)
			}
		}
		var n int
		_ = ts.Server.Store().View(ctx, func(tx store.Tx) error {
			due, err := tx.DueCallbacks(ctx, time.Now().Add(time.Hour).UnixMilli(), 100)
			n = len(due)
			return err
		})
		// One callback per transaction at most (rows already delivered or
		// retrying are not double-queued: rp.example does not resolve, so
		// they are all still pending).
		if n != 3 {
			t.Fatalf("queued callbacks = %d, want 3 (one per transaction)", n)
		}
	})
}

// Invariant 5: a user-bound request is refused to another user's device
// without its message; its user's device gets it.
func TestUserBoundRequest(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		alice := ts.Enrolled(ts.CreateUser("alice", "alice-password"), "alice-password", "13579")
		bob := ts.Enrolled(ts.CreateUser("bob", "bob-password"), "bob-password", "24680")
		secretMsg := "Transfer 5000 EUR to account NL00BANK0123456789?"
		id, otp := newRequest(t, ts, rp.CreateParams{Message: secretMsg, UserID: "alice"})
		status, body, err := bob.Raw(http.MethodPost, protocol.PathClaim, bob.Proof(http.MethodPost, protocol.PathClaim, "", nil), "",
			protocol.ClaimRequest{OTP: otp, ProfileID: bob.ProfileID})
		if err != nil {
			t.Fatal(err)
		}
		if status != http.StatusNotFound || !strings.Contains(string(body), protocol.ErrNotFound) {
			t.Fatalf("bob's claim: HTTP %d %s", status, body)
		}
		for _, leak := range []string{"5000", "NL00BANK", "Transfer", "alice", id} {
			if strings.Contains(string(body), leak) {
				t.Fatalf("refusal leaks %q: %s", leak, body)
			}
		}
		// Indistinguishable from an unknown OTP.
		_, body2, _ := bob.Raw(http.MethodPost, protocol.PathClaim, bob.Proof(http.MethodPost, protocol.PathClaim, "", nil), "",
			protocol.ClaimRequest{OTP: protocol.NewOTP(), ProfileID: bob.ProfileID})
		if string(body) != string(body2) {
			t.Fatalf("bound refusal %s differs from unknown OTP %s", body, body2)
		}
		c, err := alice.Claim(otp)
		if err != nil || c.Message != secretMsg || c.UserID != "alice" {
			t.Fatalf("alice's claim: %+v %v", c, err)
		}
	})
}
