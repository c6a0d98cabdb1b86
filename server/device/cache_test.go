package device_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

var bg = context.Background()

// stmtLog records the statements a server's store sends (store.ObserveStatements).
type stmtLog struct {
	mu sync.Mutex
	qs []string
}

// observe starts recording ts's statements; the callback worker's idle polls
// and the relying-party handler's 2-second configuration cache refreshes
// (API client, OTP type) are left out: they are not per flow.
func observe(t *testing.T, ts *servertest.TestServer) *stmtLog {
	l := &stmtLog{}
	if !store.ObserveStatements(ts.Server.Store(), func(q string) {
		if strings.Contains(q, "FROM outbox WHERE delivered_at = 0") || strings.Contains(q, "FROM api_clients") || strings.Contains(q, "FROM otp_types") {
			return
		}
		l.mu.Lock()
		l.qs = append(l.qs, q)
		l.mu.Unlock()
	}) {
		t.Fatal("store does not report statements")
	}
	t.Cleanup(func() { store.ObserveStatements(ts.Server.Store(), nil) })
	return l
}

// take returns the statements since the last take.
func (l *stmtLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	qs := l.qs
	l.qs = nil
	return qs
}

// units counts round trips as PostgreSQL's log shows them for the hot path:
// a statement outside a transaction is one, and so is a whole
// BEGIN ... COMMIT/ROLLBACK (SQLite's ClaimOnce/AnswerOnce: one transaction).
func units(qs []string) int {
	n, in := 0, false
	for _, q := range qs {
		switch q {
		case "BEGIN":
			in = true
			n++
		case "COMMIT", "ROLLBACK":
			in = false
		default:
			if !in {
				n++
			}
		}
	}
	return n
}

func anyContains(qs []string, sub string) bool {
	for _, q := range qs {
		if strings.Contains(q, sub) {
			return true
		}
	}
	return false
}

// quiet is a server whose callback worker does not poll on its own.
func quiet(o servertest.Options) servertest.Options {
	o.Config = func(c *server.Config) {
		c.Callbacks.PollInterval = time.Hour
		// The counts here are the flow's own statements: rate-limit buckets
		// stay in memory (on PostgreSQL they are shared through the store by
		// default, one more statement per limit checked; see
		// server/instances_test.go).
		c.LocalRateLimits = true
	}
	return o
}

// TestFlowStatementCount: on the fast path a complete OTP flow (user-bound
// create, claim, answer, fetch) costs three store round trips: one INSERT,
// one claim statement, one answer statement (on PostgreSQL exactly three
// statements; on SQLite the claim and answer are one transaction each), and
// the fetch of the final state none.
func TestFlowStatementCount(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, quiet(o))
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		pg := ts.Server.Store().Dialect() == "postgres"
		log := observe(t, ts)
		for round := 0; round < 3; round++ {
			id, otp, err := ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?", UserID: ts.DemoUserID})
			if err != nil {
				t.Fatal(err)
			}
			create := log.take()
			c, err := d.Claim(otp)
			if err != nil {
				t.Fatal(err)
			}
			claim := log.take()
			if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil {
				t.Fatal(err)
			}
			answer := log.take()
			tr, err := ts.Transaction(bg, id)
			if err != nil || tr.Status != "accepted" || !tr.IsAuthenticated || tr.UserID != ts.DemoUserID {
				t.Fatalf("fetch: %+v %v", tr, err)
			}
			fetch := log.take()
			for _, step := range []struct {
				name string
				qs   []string
				want int
			}{{"create", create, 1}, {"claim", claim, 1}, {"answer", answer, 1}, {"fetch", fetch, 0}} {
				if got := units(step.qs); got != step.want || (pg && len(step.qs) != step.want) {
					t.Errorf("round %d, %s: %d round trips, want %d:\n%s", round, step.name, got, step.want, strings.Join(step.qs, "\n"))
				}
			}
			// Claim and answer were the conditional writes, with the enrollment check.
			if !anyContains(claim, "UPDATE transactions SET status") || !anyContains(claim, "FROM enrollments WHERE id = ") {
				t.Errorf("claim statements: %q", claim)
			}
			if !anyContains(answer, "UPDATE transactions SET status") || !anyContains(answer, "nonce = ") {
				t.Errorf("answer statements: %q", answer)
			}
		}
	})
}

// TestSecondInstance: two server instances share a store; requests that
// move between them take the read path where the other instance's cache
// cannot help, with the same results.
func TestSecondInstance(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		a := servertest.Start(t, o)
		o.StoreURL = a.StoreURL
		b := servertest.Start(t, o)
		da := a.Enrolled(a.DemoUser, a.DemoPassword, "13579")
		db := da.On(b)
		type hop struct{ create, claim, answer, fetch *servertest.TestServer }
		for name, h := range map[string]hop{
			"claim and answer on the other instance": {a, b, b, a},
			"answer on the other instance":           {a, a, b, a},
			"claim on the other instance":            {a, b, a, a},
			"fetch on the other instance":            {a, a, a, b},
		} {
			dev := func(ts *servertest.TestServer) *servertest.Device {
				if ts == a {
					return da
				}
				return db
			}
			id, otp, err := h.create.CreateAuthRequest(bg, rp.CreateParams{Message: "Pay 10 EUR?", UserID: a.DemoUserID})
			if err != nil {
				t.Fatal(err)
			}
			c, err := dev(h.claim).Claim(otp)
			if err != nil || c.TransactionID != id || c.Message != "Pay 10 EUR?" {
				t.Fatalf("%s: claim %+v %v", name, c, err)
			}
			// A second claim is refused on either instance.
			for _, ts := range []*servertest.TestServer{a, b} {
				_, err := dev(ts).Claim(otp)
				servertest.WantError(t, err, protocol.ErrAlreadyHandled)
			}
			// A wrong nonce is refused on either instance.
			for _, ts := range []*servertest.TestServer{a, b} {
				_, err := dev(ts).Answer(dev(ts).SignedAnswer(c, protocol.DecisionAccept, func(x *protocol.AnswerRequest) { x.Nonce = protocol.RandomToken(16) }))
				servertest.WantError(t, err, protocol.ErrInvalidAnswer)
			}
			if ar, err := dev(h.answer).Answer(dev(h.answer).SignedAnswer(c, protocol.DecisionAccept, nil)); err != nil || ar.Status != "accepted" {
				t.Fatalf("%s: answer %+v %v", name, ar, err)
			}
			// A second answer is refused on either instance.
			for _, ts := range []*servertest.TestServer{a, b} {
				_, err := dev(ts).Answer(dev(ts).SignedAnswer(c, protocol.DecisionDeny, nil))
				servertest.WantError(t, err, protocol.ErrAlreadyHandled)
			}
			for _, ts := range []*servertest.TestServer{h.fetch, a, b} {
				tr, err := ts.Transaction(bg, id)
				if err != nil || tr.Status != "accepted" || !tr.IsAuthenticated || tr.UserID != a.DemoUserID {
					t.Fatalf("%s: fetch %+v %v", name, tr, err)
				}
			}
		}
	})
}

// TestEnrollmentRemovedBetweenClaimAndAnswer: this instance has the claim
// record and the enrollment's key, but the enrollment was removed (the
// operator's reset of the user's devices, deregistration) after the claim:
// the answer is refused, by the answer statement's own enrollment check.
func TestEnrollmentRemovedBetweenClaimAndAnswer(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Policy = "override"
		ts := servertest.Start(t, quiet(o))
		log := observe(t, ts)

		// The operator resets the user's devices.
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id, otp, err := ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Server.Admin().ResetUserDevices(bg, ts.DemoUserID); err != nil {
			t.Fatal(err)
		}
		log.take()
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionAccept, nil))
		servertest.WantError(t, err, protocol.ErrUserDisenrolled)
		if qs := log.take(); !anyContains(qs, "FROM enrollments WHERE id = ") {
			t.Errorf("the answer did not try the cached claim's conditional statement: %q", qs)
		}
		if tr, err := ts.Transaction(bg, id); err != nil || tr.Status != "claimed" {
			t.Fatalf("after the refused answer: %+v %v", tr, err)
		}

		// Deregistration.
		carol := ts.Enrolled(ts.CreateUser("carol", "carol-password"), "carol-password", "97531")
		id, otp, err = ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?"})
		if err != nil {
			t.Fatal(err)
		}
		c, err = carol.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		a := carol.SignedAnswer(c, protocol.DecisionAccept, nil)
		if err := carol.Call(http.MethodPost, protocol.PathDeregister, false, protocol.DeregisterRequest{ProfileID: carol.ProfileID}, nil); err != nil {
			t.Fatal(err)
		}
		log.take()
		_, err = carol.Answer(a)
		servertest.WantError(t, err, protocol.ErrUserDeregistered)
		if qs := log.take(); !anyContains(qs, "FROM enrollments WHERE id = ") {
			t.Errorf("the answer did not try the cached claim's conditional statement: %q", qs)
		}
		if tr, err := ts.Transaction(bg, id); err != nil || tr.Status != "claimed" {
			t.Fatalf("after the refused answer: %+v %v", tr, err)
		}
		// A claim with the cached (removed) enrollment is refused too.
		_, otp, _ = ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?"})
		_, err = carol.Claim(otp)
		servertest.WantError(t, err, protocol.ErrUserDeregistered)

		// Deregistration drops the profile's enrollment from this
		// instance's cache at once: the next claim reads the store (and is
		// refused) without first trying the one-statement claim.
		dave := ts.Enrolled(ts.CreateUser("dave", "dave-password"), "dave-password", "86420")
		if err := dave.Call(http.MethodPost, protocol.PathDeregister, false, protocol.DeregisterRequest{ProfileID: dave.ProfileID}, nil); err != nil {
			t.Fatal(err)
		}
		_, otp, _ = ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?"})
		log.take()
		_, err = dave.Claim(otp)
		servertest.WantError(t, err, protocol.ErrUserDeregistered)
		// (The refusal spends the proof with a plain insert of its own,
		// issue 11 item 6; the one-statement claim is INSERT ... SELECT.)
		if qs := log.take(); anyContains(qs, "jti_cache (jti, expires_at) SELECT") || !anyContains(qs, "INSERT INTO jti_cache (jti, expires_at) VALUES") {
			t.Errorf("the claim after deregistration tried the removed enrollment's cached copy, or did not spend its proof: %q", qs)
		}

		// So does the removal after the last wrong PIN.
		erin := ts.Enrolled(ts.CreateUser("erin", "erin-password"), "erin-password", "75319")
		for i := 0; i < 3; i++ {
			_ = erin.Authenticate("00000")
		}
		servertest.WantError(t, erin.Authenticate("75319"), protocol.ErrUserDeregistered)
		_, otp, _ = ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?"})
		log.take()
		_, err = erin.Claim(otp)
		servertest.WantError(t, err, protocol.ErrUserDeregistered)
		// (The refusal spends the proof with a plain insert of its own,
		// issue 11 item 6; the one-statement claim is INSERT ... SELECT.)
		if qs := log.take(); anyContains(qs, "jti_cache (jti, expires_at) SELECT") || !anyContains(qs, "INSERT INTO jti_cache (jti, expires_at) VALUES") {
			t.Errorf("the claim after the PIN removal tried the removed enrollment's cached copy, or did not spend its proof: %q", qs)
		}
	})
}

// TestCachedAnswerChecks runs the answer invariants (DESIGN §6.4) against a
// claim this instance holds in its cache, and asserts that the genuine
// answer took the fast path (one conditional statement) while every refused
// one changed nothing.
func TestCachedAnswerChecks(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		o.Policy = "multiple"
		ts := servertest.Start(t, quiet(o))
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		other := ts.Enrolled(ts.CreateUser("mallory", "mallory-password"), "mallory-password", "24680")
		log := observe(t, ts)
		id, otp, err := ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?"})
		if err != nil {
			t.Fatal(err)
		}
		log.take()
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		if qs := log.take(); units(qs) != 1 {
			t.Fatalf("claim was not the cached one-statement claim: %q", qs)
		}
		bad := map[string]protocol.AnswerRequest{
			"changed message": d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.MessageHash = protocol.MessageHash(c.Message + "!") }),
			"wrong nonce":     d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.Nonce = protocol.RandomToken(16) }),
			"stale time":      d.SignedAnswer(c, protocol.DecisionAccept, func(a *protocol.AnswerRequest) { a.Time -= protocol.AnswerMaxAgeSecs + 1 }),
		}
		swapped := d.SignedAnswer(c, protocol.DecisionDeny, nil)
		swapped.Decision = protocol.DecisionAccept
		bad["swapped decision"] = swapped
		foreign := other.SignedAnswer(c, protocol.DecisionAccept, nil)
		foreign.ProfileID = d.ProfileID
		bad["signed by another device's key"] = foreign
		for name, a := range bad {
			_, err := d.Answer(a)
			servertest.WantError(t, err, protocol.ErrInvalidAnswer)
			if qs := log.take(); anyContains(qs, "UPDATE transactions") {
				t.Errorf("%s: a refused answer wrote: %q", name, qs)
			}
		}
		_, err = other.Answer(other.SignedAnswer(c, protocol.DecisionAccept, nil))
		servertest.WantError(t, err, protocol.ErrInvalidAnswer)
		log.take()

		// Replayed proof: the proof of the genuine answer is sent again.
		good := d.SignedAnswer(c, protocol.DecisionAccept, nil)
		proof := d.Proof(http.MethodPost, protocol.PathAnswer, "", nil)
		st, body, err := d.Raw(http.MethodPost, protocol.PathAnswer, proof, "", good)
		if err != nil || st != http.StatusOK || !strings.Contains(string(body), `"accepted"`) {
			t.Fatalf("genuine answer: %d %s %v", st, body, err)
		}
		if qs := log.take(); units(qs) != 1 || !anyContains(qs, "nonce = ") {
			t.Fatalf("genuine answer was not the cached one-statement answer: %q", qs)
		}
		st, _, _ = d.Raw(http.MethodPost, protocol.PathAnswer, proof, "", good)
		if st == http.StatusOK {
			t.Fatal("replayed proof accepted")
		}
		_, err = d.Answer(good) // the same signed body with a fresh proof
		servertest.WantError(t, err, protocol.ErrAlreadyHandled)
		_, err = d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)) // change of mind
		servertest.WantError(t, err, protocol.ErrAlreadyHandled)
		if tr, err := ts.Transaction(bg, id); err != nil || tr.Status != "accepted" {
			t.Fatalf("final: %+v %v", tr, err)
		}
	})
}

// TestCachedAnswerRace: many concurrent answers to one cached claim record
// exactly one, with one callback.
func TestCachedAnswerRace(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		cb := "https://rp.example/callback"
		ts.AllowCallback(cb)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id, otp, err := ts.CreateAuthRequest(bg, rp.CreateParams{Message: "Log in?", CallbackURI: cb})
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			dec := protocol.DecisionAccept
			if i%2 == 1 {
				dec = protocol.DecisionDeny
			}
			a := d.SignedAnswer(c, dec, nil)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := d.Answer(a); err == nil {
					wins.Add(1)
				} else if ae, ok := err.(*servertest.APIError); !ok || ae.Status != http.StatusConflict {
					t.Errorf("losing answer: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("answers recorded = %d, want 1", wins.Load())
		}
		var n int
		_ = ts.Server.Store().View(bg, func(tx store.Tx) error {
			due, err := tx.DueCallbacks(bg, time.Now().Add(time.Hour).UnixMilli(), 100)
			n = len(due)
			return err
		})
		if n != 1 {
			t.Fatalf("queued callbacks = %d, want 1", n)
		}
		if tr, err := ts.Transaction(bg, id); err != nil || (tr.Status != "accepted" && tr.Status != "denied") {
			t.Fatalf("final: %+v %v", tr, err)
		}
	})
}
