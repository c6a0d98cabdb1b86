package device

import (
	"context"
	"crypto/ecdsa"
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/metrics"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/txcache"
)

var errTxNotFound = httpio.DevErr(protocol.ErrNotFound, "no such authentication request")

// errTxExpired answers a claim of the caller's own (or an unbound) request
// after its expiry: the caller holds the OTP, so this reveals nothing new.
var errTxExpired = httpio.DevErr(protocol.ErrRequestExpired, "the request has expired; ask the site for a new code")

// enrollmentOf returns the profile's enrollment on the calling client (one
// query in the common case; the profile is read only to tell a removed
// registration from a missing enrollment).
func enrollmentOf(ctx context.Context, tx store.Tx, c *caller, profileID string) (store.Enrollment, *httpio.DeviceError, error) {
	if profileID == "" || len(profileID) > 128 {
		return store.Enrollment{}, badField("profile_id"), nil
	}
	es, err := tx.EnrollmentsOfProfile(ctx, profileID)
	if err != nil {
		return store.Enrollment{}, nil, err
	}
	for _, e := range es {
		if e.ClientID == c.client.ID {
			return e, nil, nil
		}
	}
	_, de, err := ownProfile(ctx, tx, c, profileID, false)
	if de != nil || err != nil {
		return store.Enrollment{}, de, err
	}
	if _, err := tx.GetSetting(ctx, disenrolledKey(profileID)); err == nil {
		return store.Enrollment{}, httpio.DevErr(protocol.ErrUserDisenrolled, "this device's enrollment was replaced by another device's"), nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Enrollment{}, nil, err
	}
	return store.Enrollment{}, httpio.DevErr(protocol.ErrNotEnrolled, "profile is not enrolled for mobile authentication"), nil
}

// claim: POST PathClaim {otp, profile_id} → the message to confirm and a nonce.
//
// The fast path (claimFast) uses what this instance cached: the request's
// immutable fields (by OTP hash) and the profile's enrollment on the
// calling client; it checks expiry and the bound user in memory and then
// claims in one statement that also checks, atomically, the jti, the
// pending status, the expiry and that the enrollment still exists. On a
// miss, or when that statement refuses, claimSlow reads the store and
// answers exactly as without the cache.
func (h *Handler) claim(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.ClaimRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if !h.env.Limits.ClaimPerClient.Allow(c.client.ID) || !h.env.Limits.ClaimPerIP.Allow(clientip.LimitKey(clientip.From(r))) {
		fail(w, httpio.DevErr(protocol.ErrRateLimited, "too many claims; wait and retry"))
		return
	}
	otp, ok := protocol.NormalizeOTP(req.OTP)
	if !ok {
		fail(w, httpio.DevErr(protocol.ErrOTPMalformed, "the code is not a valid OTP"))
		return
	}
	ctx := r.Context()
	otpHash := protocol.HashOTP(otp)
	jti := jtiKey(c.client.ID, c.proof.Claims.JTI)
	res, done, prior, de := h.claimFast(ctx, c, req.ProfileID, otpHash, jti)
	if !done {
		res, de = h.claimSlow(ctx, c, req.ProfileID, otpHash, jti, prior)
	}
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Hub.Notify(res.tr.ID)
	h.env.Log.Info().Str("transaction_id", res.tr.ID).Str("profile_id", res.enr.ProfileID).Msg("authentication request claimed")
	resp := protocol.ClaimResponse{TransactionID: res.tr.ID, Message: res.tr.Message, Type: res.tr.Type, Nonce: res.nonce,
		ExpiresAt: res.tr.ExpiresAt / 1000, ProfileID: res.enr.ProfileID, UserID: res.enr.UserID}
	if err := claimExtras(&resp, res.tr); err != nil {
		h.env.Log.Error().Err(err).Str("transaction_id", res.tr.ID).Msg("stored request extras unreadable")
		fail(w, errInternal)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, resp)
}

// claimResult is a committed claim.
type claimResult struct {
	tr    store.Transaction
	enr   store.Enrollment
	nonce string
}

// onceOutcome is what a refused fast-path statement left behind for the
// read path, which then only classifies the refusal.
type onceOutcome int

const (
	onceNone    onceOutcome = iota // nothing happened: the read path may write
	onceReplay                     // the jti was seen before
	onceRefused                    // the jti is spent, the conditional update refused
)

// errAlreadyClaimed answers a claim of a request that is no longer pending.
var errAlreadyClaimed = httpio.DevErr(protocol.ErrAlreadyHandled, "this request was already claimed")

// claimFast claims from the cache; done false sends the request to
// claimSlow (with what the fast path's statement did, if it ran).
func (h *Handler) claimFast(ctx context.Context, c *caller, profileID, otpHash, jti string) (claimResult, bool, onceOutcome, *httpio.DeviceError) {
	cache := h.env.TxCache
	now := h.env.NowMs()
	ct, ok := cache.ByOTP(otpHash, now)
	if !ok || ct.Status != "" {
		return claimResult{}, false, onceNone, nil
	}
	e, ok := cache.Enrollment(profileID, c.client.ID)
	// Expired or bound to another user: the read path gives the precise
	// answer (it may be about the profile rather than the request).
	if !ok || now >= ct.ExpiresAt || (ct.BoundUserID != "" && ct.BoundUserID != e.UserID) {
		return claimResult{}, false, onceNone, nil
	}
	tr := ct.Transaction()
	nonce := protocol.RandomToken(16)
	fresh, claimed, err := h.env.Store.ClaimOnce(ctx, jti, h.jtiExpiry(), tr.ID, e.Enrollment, nonce, now)
	if err == nil {
		spent(ctx) // recorded now, or before (a replay)
	}
	switch {
	case errors.Is(err, store.ErrNotEnrolled):
		cache.ForgetEnrollment(profileID, c.client.ID)
		return claimResult{}, false, onceNone, nil
	case err != nil:
		h.env.Log.Error().Err(err).Msg("claim")
		return claimResult{}, true, onceNone, errInternal
	case !fresh:
		return claimResult{}, false, onceReplay, nil
	case !claimed:
		// Claimed elsewhere or expired meanwhile; the cached facts stay true.
		return claimResult{}, false, onceRefused, nil
	}
	cache.Claimed(tr, nonce, e)
	return claimResult{tr: tr, enr: e.Enrollment, nonce: nonce}, true, onceNone, nil
}

// claimSlow reads the transaction and the enrollment from the store, checks
// them and, unless prior says the fast path's statement already ran, claims.
func (h *Handler) claimSlow(ctx context.Context, c *caller, profileID, otpHash, jti string, prior onceOutcome) (claimResult, *httpio.DeviceError) {
	for attempt := 0; ; attempt++ {
		var (
			enr store.Enrollment
			tr  store.Transaction
			de  *httpio.DeviceError
		)
		err := h.env.Store.View(ctx, func(tx store.Tx) error {
			// The common case in one query: the transaction and this profile's
			// enrollment on the calling client both exist.
			if profileID != "" && len(profileID) <= 128 {
				t, e, found, err := tx.GetTransactionForClaim(ctx, otpHash, profileID, c.client.ID)
				if err == nil && found {
					tr, enr = t, e
					return nil
				} else if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
			// Otherwise the two reads one by one, for the precise error.
			var err error
			enr, de, err = enrollmentOf(ctx, tx, c, profileID)
			if de != nil || err != nil {
				return err
			}
			tr, err = tx.GetTransactionByOTPHash(ctx, otpHash)
			if errors.Is(err, store.ErrNotFound) {
				de = errTxNotFound
				return nil
			}
			return err
		})
		if err == nil && de == nil {
			// A user the operator disabled claims nothing (ClaimOnce refuses
			// too, as not enrolled; this says why).
			err = h.env.Store.View(ctx, func(tx store.Tx) error {
				var err error
				de, err = userCheck(ctx, tx, enr.UserID)
				return err
			})
		}
		if err != nil {
			h.env.Log.Error().Err(err).Msg("claim lookup")
			return claimResult{}, errInternal
		}
		if de != nil {
			return claimResult{}, de
		}
		now := h.env.NowMs()
		// Bound to another user: the same answer as an unknown OTP, expired
		// or not. Expired: said so (the caller holds the OTP). Neither
		// reveals anything of the request (message, type).
		if tr.BoundUserID != "" && tr.BoundUserID != enr.UserID {
			return claimResult{}, errTxNotFound
		}
		if now >= tr.ExpiresAt {
			return claimResult{}, errTxExpired
		}
		if tr.Status != store.StatusPending {
			return claimResult{}, errAlreadyClaimed
		}
		switch prior {
		case onceReplay:
			return claimResult{}, errReplay
		case onceRefused:
			return claimResult{}, errAlreadyClaimed
		}
		ce := h.cacheEnrollment(enr)
		nonce := protocol.RandomToken(16)
		// The proof's jti and the claim commit together (one statement on
		// PostgreSQL); the conditional update makes the claim exactly-once.
		fresh, claimed, err := h.env.Store.ClaimOnce(ctx, jti, h.jtiExpiry(), tr.ID, enr, nonce, now)
		if err == nil {
			spent(ctx) // recorded now, or before (a replay)
		}
		switch {
		case errors.Is(err, store.ErrNotEnrolled) && attempt < 2:
			// Removed (or replaced) since the read: read again, for the
			// precise error or the new enrollment.
			h.env.TxCache.ForgetEnrollment(enr.ProfileID, enr.ClientID)
			continue
		case err != nil:
			h.env.Log.Error().Err(err).Msg("claim")
			return claimResult{}, errInternal
		case !fresh:
			return claimResult{}, errReplay
		case !claimed:
			return claimResult{}, errAlreadyClaimed
		}
		if ce != nil {
			h.env.TxCache.Put(tr)
			h.env.TxCache.Claimed(tr, nonce, ce)
		}
		return claimResult{tr: tr, enr: enr, nonce: nonce}, nil
	}
}

// cacheEnrollment caches e (read from the store) with its parsed key; nil
// when the key does not parse.
func (h *Handler) cacheEnrollment(e store.Enrollment) *txcache.Enrollment {
	if ce, ok := h.env.TxCache.Enrollment(e.ProfileID, e.ClientID); ok && ce.Enrollment == e {
		return ce
	}
	pub, err := protocol.DecodePublicKey(e.PublicKey)
	if err != nil {
		return nil
	}
	ce := &txcache.Enrollment{Enrollment: e, Pub: pub}
	h.env.TxCache.PutEnrollment(ce)
	return ce
}

// answer: POST PathAnswer with the enrollment key's signature over the
// decision, the message hash, the nonce and the time. Exactly one answer is
// recorded (conditional update claimed → accepted/denied); the callback is
// queued in the same transaction.
//
// The fast path (answerFast) applies every check of checkAnswer to this
// instance's own claim record and then answers in one statement that
// checks, atomically, the jti, the claimed status, the claiming enrollment
// and nonce, the expiry and that the enrollment still exists. On a miss, a
// failed check or a refused statement, answerSlow reads the store and
// answers exactly as without the cache.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.AnswerRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if req.TransactionID == "" || len(req.TransactionID) > 128 {
		fail(w, badField("transaction_id"))
		return
	}
	if req.ProfileID == "" || len(req.ProfileID) > 128 {
		fail(w, badField("profile_id"))
		return
	}
	ctx := r.Context()
	status := store.StatusDenied
	if req.Decision == protocol.DecisionAccept {
		status = store.StatusAccepted
	}
	jti := jtiKey(c.client.ID, c.proof.Claims.JTI)
	tr, done, prior, de := h.answerFast(ctx, c, &req, jti, status)
	if !done {
		tr, status, de = h.answerSlow(ctx, c, &req, jti, status, prior)
	}
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Hub.Notify(tr.ID)
	h.env.Metrics.TxAnswered(tr.Type, metrics.MethodOf(tr), status)
	if tr.CallbackURI != "" && h.env.WakeOutbox != nil {
		h.env.WakeOutbox()
	}
	h.env.AuditInfo(audit.Answered).Str("transaction_id", tr.ID).Str("api_client_id", tr.APIClientID).Str("profile_id", req.ProfileID).Str("decision", status).Str("ip", clientip.From(r)).Msg("authentication request answered")
	httpio.WriteJSON(w, http.StatusOK, protocol.AnswerResponse{TransactionID: tr.ID, Status: status})
}

// callbackRow is the outbox row of an answer to tr (nil without a callback URI).
func callbackRow(tr store.Transaction, now int64) *store.Callback {
	if tr.CallbackURI == "" {
		return nil
	}
	row := outbox.NewCallback(tr.APIClientID, tr.CallbackURI, tr.ID, now)
	return &row
}

// errAlreadyAnswered answers an answer the conditional update refused.
var errAlreadyAnswered = httpio.DevErr(protocol.ErrAlreadyHandled, "this request was already answered or has expired")

// answerFast answers from this instance's claim record; done false sends
// the request to answerSlow (with what the fast path's statement did).
func (h *Handler) answerFast(ctx context.Context, c *caller, req *protocol.AnswerRequest, jti, status string) (store.Transaction, bool, onceOutcome, *httpio.DeviceError) {
	cache := h.env.TxCache
	now := h.env.NowMs()
	ct, ok := cache.ByID(req.TransactionID, now)
	if !ok || ct.Status != store.StatusClaimed || ct.Enrollment == nil {
		return store.Transaction{}, false, onceNone, nil
	}
	e := ct.Enrollment
	tr := ct.Transaction()
	if tr.Extras != "" || req.Extended() {
		return store.Transaction{}, false, onceNone, nil // answerExtended, from the store
	}
	// The checks of checkAnswer, on what this instance recorded of its own
	// claim; any failure takes the read path for the precise answer.
	if h.verifyAnswer(c, req, tr, e.Enrollment, e.Pub) != nil {
		return store.Transaction{}, false, onceNone, nil
	}
	fresh, answered, err := h.env.Store.AnswerOnce(ctx, jti, h.jtiExpiry(), tr.ID, e.Enrollment, tr.Nonce, status, now, callbackRow(tr, now))
	if err == nil {
		spent(ctx) // recorded now, or before (a replay)
	}
	switch {
	case errors.Is(err, store.ErrNotEnrolled):
		cache.ForgetEnrollment(e.ProfileID, e.ClientID)
		cache.Forget(tr.ID)
		return store.Transaction{}, false, onceNone, nil
	case err != nil:
		h.env.Log.Error().Err(err).Msg("answer")
		return store.Transaction{}, true, onceNone, errInternal
	case !fresh:
		return store.Transaction{}, false, onceReplay, nil
	case !answered:
		// Answered by a concurrent request, or expired: this instance's
		// claim record stays true (a concurrent winner records the answer).
		return store.Transaction{}, false, onceRefused, nil
	}
	cache.Answered(tr, status, now)
	return tr, true, onceNone, nil
}

// answerSlow reads the transaction and its claiming enrollment, checks the
// answer and, unless prior says the fast path's statement already ran,
// records it.
func (h *Handler) answerSlow(ctx context.Context, c *caller, req *protocol.AnswerRequest, jti, status string, prior onceOutcome) (store.Transaction, string, *httpio.DeviceError) {
	var (
		enr store.Enrollment
		tr  store.Transaction
		de  *httpio.DeviceError
	)
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		// The transaction and its claiming enrollment in one query.
		var (
			found bool
			err   error
		)
		tr, enr, found, err = tx.GetTransactionWithEnrollment(ctx, req.TransactionID)
		if errors.Is(err, store.ErrNotFound) {
			de = errTxNotFound
			return nil
		} else if err != nil {
			return err
		}
		if tr.EnrollmentID == "" || found {
			// Not claimed: checkAnswer says so. A user the operator
			// disabled: AnswerOnce refuses (as not enrolled) and
			// enrollmentGone says why; answerExtended checks it itself.
			return nil
		}
		de, err = enrollmentGone(ctx, tx, c, req.ProfileID)
		return err
	})
	if err != nil {
		h.env.Log.Error().Err(err).Msg("answer lookup")
		return tr, status, errInternal
	}
	if de != nil {
		return tr, status, de
	}
	if tr.Extras != "" || req.Extended() {
		if prior != onceNone {
			return tr, status, errInternal // the fast path never runs a statement for these
		}
		return h.answerExtended(ctx, c, req, tr, enr, jti)
	}
	if de := h.checkAnswer(c, req, tr, enr); de != nil {
		return tr, status, de
	}
	switch prior {
	case onceReplay:
		return tr, status, errReplay
	case onceRefused:
		return tr, status, errAlreadyAnswered
	}
	now := h.env.NowMs()
	// The proof's jti, the answer and its callback commit together (one
	// statement on PostgreSQL); the conditional update makes it exactly-once.
	fresh, answered, err := h.env.Store.AnswerOnce(ctx, jti, h.jtiExpiry(), tr.ID, enr, tr.Nonce, status, now, callbackRow(tr, now))
	if err == nil {
		spent(ctx) // recorded now, or before (a replay)
	}
	switch {
	case errors.Is(err, store.ErrNotEnrolled):
		// Removed since the read: say why, as the read would have.
		err = h.env.Store.View(ctx, func(tx store.Tx) error {
			de, err = enrollmentGone(ctx, tx, c, req.ProfileID)
			return err
		})
		if err != nil {
			h.env.Log.Error().Err(err).Msg("answer lookup")
			return tr, status, errInternal
		}
		return tr, status, de
	case err != nil:
		h.env.Log.Error().Err(err).Msg("answer")
		return tr, status, errInternal
	case !fresh:
		return tr, status, errReplay
	case !answered:
		return tr, status, errAlreadyAnswered
	}
	h.env.TxCache.Put(tr)
	h.env.TxCache.Answered(tr, status, now)
	return tr, status, nil
}

// enrollmentGone explains why the enrollment that claimed a request is gone
// (deregistration, override): this device can no longer answer.
func enrollmentGone(ctx context.Context, tx store.Tx, c *caller, profileID string) (*httpio.DeviceError, error) {
	e, de, err := enrollmentOf(ctx, tx, c, profileID)
	if de == nil && err == nil {
		if de, err = userCheck(ctx, tx, e.UserID); de == nil && err == nil {
			de = httpio.DevErr(protocol.ErrInvalidAnswer, "this request was claimed by another enrollment")
		}
	}
	return de, err
}

// checkAnswer applies every answer check that does not need the write lock.
func (h *Handler) checkAnswer(c *caller, req *protocol.AnswerRequest, tr store.Transaction, enr store.Enrollment) *httpio.DeviceError {
	switch tr.Status {
	case store.StatusAccepted, store.StatusDenied:
		return httpio.DevErr(protocol.ErrAlreadyHandled, "this request was already answered")
	case store.StatusClaimed:
	default:
		return httpio.DevErr(protocol.ErrInvalidAnswer, "this request was not claimed")
	}
	return h.verifyAnswer(c, req, tr, enr, nil)
}

// verifyAnswer checks an answer to tr, claimed by enr (whose parsed key is
// pub, or nil to parse enr's): the claiming enrollment is this client's for
// the profile named, the request has not expired, the answer's time is
// fresh, and the nonce, message hash and signature match.
func (h *Handler) verifyAnswer(c *caller, req *protocol.AnswerRequest, tr store.Transaction, enr store.Enrollment, pub *ecdsa.PublicKey) *httpio.DeviceError {
	// The claiming enrollment must be this client's, for the profile named.
	if enr.ID == "" || tr.EnrollmentID != enr.ID || enr.ClientID != c.client.ID || enr.ProfileID != req.ProfileID || tr.ProfileID != req.ProfileID {
		return httpio.DevErr(protocol.ErrInvalidAnswer, "this request was claimed by another enrollment")
	}
	if h.env.NowMs() >= tr.ExpiresAt {
		return httpio.DevErr(protocol.ErrInvalidAnswer, "the request has expired")
	}
	wall := h.env.Wall.Now().Unix()
	if d := wall - req.Time; d > protocol.AnswerMaxAgeSecs || d < -protocol.AnswerMaxAgeSecs {
		return httpio.DevErr(protocol.ErrInvalidAnswer, "answer time outside the accepted window")
	}
	if subtle.ConstantTimeCompare([]byte(req.Nonce), []byte(tr.Nonce)) != 1 {
		return httpio.DevErr(protocol.ErrInvalidAnswer, "nonce does not match")
	}
	if req.MessageHash != protocol.MessageHash(tr.Message) {
		return httpio.DevErr(protocol.ErrInvalidAnswer, "message hash does not match the request")
	}
	if de := checkDetailsHash(req, tr); de != nil {
		return de
	}
	if pub == nil {
		var err error
		if pub, err = protocol.DecodePublicKey(enr.PublicKey); err != nil {
			return errInternal
		}
	}
	if err := protocol.VerifyAnswerSignature(pub, req); err != nil {
		return httpio.DevErr(protocol.ErrInvalidAnswer, "answer signature does not verify")
	}
	return nil
}
