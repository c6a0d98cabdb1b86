package rp

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/antifatigue"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/metrics"
	"github.com/openmobileauth/oma/server/policies"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/store"
)

// Push bombing protection (DESIGN §12): a user has at most MaxPending open
// push requests; one more is REFUSED (not replacing the open one: the user
// never sees a request swapped under the one being read, and an attacker's
// request cannot displace the user's own). Repeated creation for one user
// backs off exponentially.
var errTooManyPending = &httpio.RPError{Status: http.StatusTooManyRequests, Err: "too_many_pending", Code: httpio.RPCodeRateLimited,
	Description: "the user already has an open push request; wait for its answer or expiry"}

var errNoDevice = invalid("user_id: the user has no device enrolled for mobile authentication")

var errRollback = errors.New("rollback")

// createPush creates a push request: bound to p.UserID, no OTP, and one
// outbox job per push-registered enrollment of the user, all in one store
// transaction. Sending happens in the push outbox, never in this request.
func (h *Handler) createPush(w http.ResponseWriter, r *http.Request, c store.APIClient, p CreateParams, t store.OTPType, shown string, extras antifatigue.Extras) {
	if p.UserID == "" {
		httpio.WriteRPError(w, invalid("user_id is required for a push type"))
		return
	}
	ctx := r.Context()
	now := h.env.Clock.Now()
	nowMs := now.UnixMilli()
	ttl := time.Duration(t.ExpirySecs) * time.Second
	x := store.Transaction{ID: protocol.NewTransactionID(), OTPHash: store.PushOTPHashPrefix + protocol.RandomToken(24), APIClientID: c.ID, Type: t.Name,
		Message: shown, CallbackURI: p.CallbackURI, LanguageCode: p.LanguageCode, BoundUserID: p.UserID, Status: store.StatusPending,
		CreatedAt: nowMs, ExpiresAt: now.Add(ttl).UnixMilli(), Extras: extras.Encode()}
	pe := h.env.Push
	var (
		e       *httpio.RPError
		retryIn time.Duration
		jobs    int
	)
	err := h.env.Store.InTx(ctx, func(tx store.Tx) error {
		st, err := tx.LockPushUser(ctx, p.UserID)
		if err != nil {
			return err
		}
		// The operator's stored limit, else the configuration's.
		maxPending, err := policies.PushMaxPending(ctx, tx, pe.MaxPending)
		if err != nil {
			return err
		}
		open, err := tx.OpenPushRequests(ctx, p.UserID, nowMs, true, maxPending)
		if err != nil {
			return err
		}
		if len(open) >= maxPending {
			e = errTooManyPending
			return errRollback
		}
		streak := st.Streak
		if st.LastCreatedAt == 0 || nowMs-st.LastCreatedAt >= pe.BackoffReset.Milliseconds() {
			streak = 0
		}
		if wait := pe.PushBackoff(streak); wait > 0 && nowMs < st.LastCreatedAt+wait.Milliseconds() {
			retryIn = time.Duration(st.LastCreatedAt+wait.Milliseconds()-nowMs) * time.Millisecond
			e = &httpio.RPError{Status: http.StatusTooManyRequests, Err: "rate_limited", Code: httpio.RPCodeRateLimited,
				Description: "push requests for this user are backing off; retry later"}
			return errRollback
		}
		ok, err := tx.CreateTransactionForUser(ctx, x)
		if err != nil {
			return err
		}
		if !ok {
			if e, err = h.notCreated(ctx, tx, p.UserID); err != nil {
				return err
			}
			return errRollback
		}
		enrolled, err := tx.EnrollmentsOfUser(ctx, p.UserID)
		if err != nil {
			return err
		}
		if len(enrolled) == 0 {
			e = errNoDevice
			return errRollback
		}
		if err := tx.CreatePushRequest(ctx, store.PushRequest{TransactionID: x.ID, UserID: p.UserID, CreatedAt: nowMs, ExpiresAt: x.ExpiresAt}); err != nil {
			return err
		}
		if err := tx.PutPushUser(ctx, store.PushUserState{UserID: p.UserID, LastCreatedAt: nowMs, Streak: streak + 1}); err != nil {
			return err
		}
		targets, err := tx.PushTargetsOfUser(ctx, p.UserID)
		if err != nil {
			return err
		}
		for _, tg := range targets {
			if pe.Supports == nil || !pe.Supports(tg.Provider) {
				continue // registered under an earlier configuration
			}
			if err := tx.EnqueuePush(ctx, push.NewJob(x.ID, tg, nowMs, x.ExpiresAt)); err != nil {
				return err
			}
			jobs++
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		if retryIn > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(int64((retryIn+time.Second-1)/time.Second), 10))
		}
		httpio.WriteRPError(w, e)
		return
	}
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			h.env.Log.Error().Err(err).Msg("creating push request")
		}
		httpio.WriteRPError(w, errInternal)
		return
	}
	h.env.TxCache.Put(x)
	h.env.Metrics.TxCreated(x.Type, metrics.MethodOf(x))
	if jobs > 0 && pe.Wake != nil {
		pe.Wake()
	}
	h.env.Log.Info().Str("api_client_id", c.ID).Str("transaction_id", x.ID).Str("type", t.Name).Int("pushes", jobs).Msg("push authentication request created")
	httpio.WriteJSON(w, http.StatusOK, CreateResponse{TransactionID: x.ID, AuthMethod: protocol.AuthMethodPush, TimeToLive: ttl.Milliseconds(), MatchCode: extras.MatchCode})
}

// authMethodOf is the authentication method of a stored request.
func authMethodOf(x store.Transaction) string {
	if len(x.OTPHash) > len(store.PushOTPHashPrefix) && x.OTPHash[:len(store.PushOTPHashPrefix)] == store.PushOTPHashPrefix {
		return protocol.AuthMethodPush
	}
	return AuthMethod
}
