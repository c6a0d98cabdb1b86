package device

import (
	"context"
	"net/http"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// A DPoP proof authenticates one request, whatever its outcome (DESIGN §6
// invariant 2, issue 11 item 6): a proof whose request was refused (an
// unknown OTP, a wrong PIN, a bad body) must not authenticate a later one.
// The success paths record the jti in the statement that does the work
// (ClaimOnce, AnswerOnce, commit); every other answer to a request whose
// proof verified spends the jti with one insert of its own, before the
// answer is written (spendingWriter). A forged proof writes nothing.

// JTIRetention is how long a proof id is kept in the replay cache after the
// request that spent it, measured on Env.Wall. A proof is accepted while
// |now - iat| <= protocol.ProofMaxAgeSecs; with iat at most that far in the
// future, it stays acceptable until now + 2*ProofMaxAgeSecs (+1 s for
// whole-second iat). JTISkew more covers instances whose clocks differ.
const (
	JTISkew      = 30 * time.Second
	JTIRetention = (2*protocol.ProofMaxAgeSecs+1)*time.Second + JTISkew
)

// jtiExpiry is when a proof's replay-cache entry spent now may be purged
// (unix ms): after the last moment any proof accepted now could be accepted
// again.
func (h *Handler) jtiExpiry() int64 {
	return h.env.Wall.Now().Add(JTIRetention).UnixMilli()
}

// proofUse is the replay-cache state of one request's proof.
type proofUse struct {
	key   string // jtiKey of a verified proof; "" until authenticate verified one
	spent bool   // recorded (by this request or an earlier one)
}

type proofUseKey struct{}

// useOf returns the request's proofUse (nil outside spendJTI).
func useOf(ctx context.Context) *proofUse {
	u, _ := ctx.Value(proofUseKey{}).(*proofUse)
	return u
}

// proofScope is everything spendJTI adds to one request, in one allocation
// (it runs on every device call): the context that carries the proofUse
// (Value answers proofUseKey, everything else is the parent's, cancellation
// included) and the spendingWriter.
type proofScope struct {
	context.Context
	use proofUse
	w   spendingWriter
}

// Value returns the scope's proofUse for proofUseKey, else the parent's value.
func (c *proofScope) Value(key any) any {
	if _, ok := key.(proofUseKey); ok {
		return &c.use
	}
	return c.Context.Value(key)
}

// verified notes that the request's proof verified: from now on its jti is
// spent whatever the answer.
func verified(ctx context.Context, key string) {
	if u := useOf(ctx); u != nil {
		u.key = key
	}
}

// spent notes that the jti was recorded (or found recorded) by the statement
// that did the request's work.
func spent(ctx context.Context) {
	if u := useOf(ctx); u != nil {
		u.spent = true
	}
}

// spendJTI wraps a device API handler: any answer to a request whose proof
// verified and whose jti no statement recorded records it first.
func (h *Handler) spendJTI(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sc := &proofScope{Context: r.Context()}
		sc.w = spendingWriter{ResponseWriter: w, h: h, ctx: sc, u: &sc.use}
		r = r.WithContext(sc)
		fn(&sc.w, r)
		sc.w.spend()
	}
}

// spendingWriter spends the proof before the first byte of the answer.
type spendingWriter struct {
	http.ResponseWriter
	h   *Handler
	ctx context.Context
	u   *proofUse
}

func (w *spendingWriter) spend() {
	if w.u.key == "" || w.u.spent {
		return
	}
	w.u.spent = true
	// Recorded even when the client has gone: a fresh context, bounded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), 5*time.Second)
	defer cancel()
	exp := w.h.jtiExpiry()
	if err := w.h.env.Store.Autocommit(ctx, func(tx store.Tx) error {
		_, err := tx.UseJTI(ctx, w.u.key, exp)
		return err
	}); err != nil {
		w.h.env.Log.Error().Err(err).Msg("spending the proof of a refused request")
	}
}

func (w *spendingWriter) WriteHeader(code int) {
	w.spend()
	w.ResponseWriter.WriteHeader(code)
}

func (w *spendingWriter) Write(b []byte) (int, error) {
	w.spend()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *spendingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
