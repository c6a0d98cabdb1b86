package device

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/internal/svc"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/store"
)

var errTxNotFound = svc.DevErr(protocol.ErrNotFound, "no such authentication request")

// enrollmentOf returns the profile's enrollment on the calling client (one
// query in the common case; the profile is read only to tell a removed
// registration from a missing enrollment).
func enrollmentOf(ctx context.Context, tx store.Tx, c *caller, profileID string) (store.Enrollment, *svc.DeviceError, error) {
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
	_, de, err := ownProfile(ctx, tx, c, profileID)
	if de != nil || err != nil {
		return store.Enrollment{}, de, err
	}
	if _, err := tx.GetSetting(ctx, disenrolledKey(profileID)); err == nil {
		return store.Enrollment{}, svc.DevErr(protocol.ErrUserDisenrolled, "this device's enrollment was replaced by another device's"), nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Enrollment{}, nil, err
	}
	return store.Enrollment{}, svc.DevErr(protocol.ErrNotEnrolled, "profile is not enrolled for mobile authentication"), nil
}

// claim: POST PathClaim {otp, profile_id} → the message to confirm and a nonce.
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
	if !h.env.Limits.ClaimPerClient.Allow(c.client.ID) || !h.env.Limits.ClaimPerIP.Allow(svc.ClientIP(r)) {
		fail(w, svc.DevErr(protocol.ErrRateLimited, "too many claims; wait and retry"))
		return
	}
	otp, ok := protocol.NormalizeOTP(req.OTP)
	if !ok {
		fail(w, svc.DevErr(protocol.ErrOTPMalformed, "the code is not a valid OTP"))
		return
	}
	ctx := r.Context()
	var (
		enr store.Enrollment
		tr  store.Transaction
	)
	otpHash := protocol.HashOTP(otp)
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		// The common case in one query: the transaction and this profile's
		// enrollment on the calling client both exist.
		if req.ProfileID != "" && len(req.ProfileID) <= 128 {
			t, e, found, err := tx.GetTransactionForClaim(ctx, otpHash, req.ProfileID, c.client.ID)
			if err == nil && found {
				tr, enr = t, e
				return nil
			} else if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		// Otherwise the two reads one by one, for the precise error.
		var err error
		enr, de, err = enrollmentOf(ctx, tx, c, req.ProfileID)
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
	if err != nil {
		h.env.Log.Error().Err(err).Msg("claim lookup")
		fail(w, errInternal)
		return
	}
	if de != nil {
		fail(w, de)
		return
	}
	now := h.env.NowMs()
	// Expired, or bound to another user: the same answer as an unknown OTP,
	// and nothing of the request (message, type) is revealed.
	if now >= tr.ExpiresAt || (tr.BoundUserID != "" && tr.BoundUserID != enr.UserID) {
		fail(w, errTxNotFound)
		return
	}
	if tr.Status != store.StatusPending {
		fail(w, svc.DevErr(protocol.ErrAlreadyHandled, "this request was already claimed"))
		return
	}
	nonce := protocol.RandomToken(16)
	// The proof's jti and the claim commit together (one statement on
	// PostgreSQL); the conditional update makes the claim exactly-once.
	fresh, claimed, err := h.env.Store.ClaimOnce(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), h.jtiExpiry(),
		tr.ID, enr.ProfileID, enr.ID, enr.UserID, nonce, now)
	switch {
	case err != nil:
		h.env.Log.Error().Err(err).Msg("claim")
		fail(w, errInternal)
		return
	case !fresh:
		fail(w, errReplay)
		return
	case !claimed:
		fail(w, svc.DevErr(protocol.ErrAlreadyHandled, "this request was already claimed"))
		return
	}
	h.env.Hub.Notify(tr.ID)
	h.env.Log.Info().Str("transaction_id", tr.ID).Str("profile_id", enr.ProfileID).Msg("authentication request claimed")
	svc.WriteJSON(w, http.StatusOK, protocol.ClaimResponse{TransactionID: tr.ID, Message: tr.Message, Type: tr.Type, Nonce: nonce,
		ExpiresAt: tr.ExpiresAt / 1000, ProfileID: enr.ProfileID, UserID: enr.UserID})
}

// answer: POST PathAnswer with the enrollment key's signature over the
// decision, the message hash, the nonce and the time. Exactly one answer is
// recorded (conditional update claimed → accepted/denied); the callback is
// queued in the same transaction.
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
	ctx := r.Context()
	var (
		enr store.Enrollment
		tr  store.Transaction
	)
	if req.ProfileID == "" || len(req.ProfileID) > 128 {
		fail(w, badField("profile_id"))
		return
	}
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
			return nil // not claimed: checkAnswer says so
		}
		// The claiming enrollment was removed since (deregistration,
		// override): this device can no longer answer.
		enr, de, err = enrollmentOf(ctx, tx, c, req.ProfileID)
		if de == nil && err == nil {
			de = svc.DevErr(protocol.ErrInvalidAnswer, "this request was claimed by another enrollment")
		}
		return err
	})
	if err != nil {
		h.env.Log.Error().Err(err).Msg("answer lookup")
		fail(w, errInternal)
		return
	}
	if de != nil {
		fail(w, de)
		return
	}
	if de := h.checkAnswer(c, &req, tr, enr); de != nil {
		fail(w, de)
		return
	}
	status := store.StatusDenied
	if req.Decision == protocol.DecisionAccept {
		status = store.StatusAccepted
	}
	now := h.env.NowMs()
	var cb *store.Callback
	if tr.CallbackURI != "" {
		row := outbox.NewCallback(tr.APIClientID, tr.CallbackURI, tr.ID, now)
		cb = &row
	}
	// The proof's jti, the answer and its callback commit together (one
	// statement on PostgreSQL); the conditional update makes it exactly-once.
	fresh, answered, err := h.env.Store.AnswerOnce(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), h.jtiExpiry(), tr.ID, enr.ID, status, now, cb)
	switch {
	case err != nil:
		h.env.Log.Error().Err(err).Msg("answer")
		fail(w, errInternal)
		return
	case !fresh:
		fail(w, errReplay)
		return
	case !answered:
		fail(w, svc.DevErr(protocol.ErrAlreadyHandled, "this request was already answered or has expired"))
		return
	}
	h.env.Hub.Notify(tr.ID)
	if tr.CallbackURI != "" && h.env.WakeOutbox != nil {
		h.env.WakeOutbox()
	}
	h.env.Log.Info().Str("transaction_id", tr.ID).Str("status", status).Msg("authentication request answered")
	svc.WriteJSON(w, http.StatusOK, protocol.AnswerResponse{TransactionID: tr.ID, Status: status})
}

// checkAnswer applies every answer check that does not need the write lock.
func (h *Handler) checkAnswer(c *caller, req *protocol.AnswerRequest, tr store.Transaction, enr store.Enrollment) *svc.DeviceError {
	switch tr.Status {
	case store.StatusAccepted, store.StatusDenied:
		return svc.DevErr(protocol.ErrAlreadyHandled, "this request was already answered")
	case store.StatusClaimed:
	default:
		return svc.DevErr(protocol.ErrInvalidAnswer, "this request was not claimed")
	}
	// The claiming enrollment must be this client's, for the profile named.
	if enr.ID == "" || tr.EnrollmentID != enr.ID || enr.ClientID != c.client.ID || enr.ProfileID != req.ProfileID || tr.ProfileID != req.ProfileID {
		return svc.DevErr(protocol.ErrInvalidAnswer, "this request was claimed by another enrollment")
	}
	if h.env.NowMs() >= tr.ExpiresAt {
		return svc.DevErr(protocol.ErrInvalidAnswer, "the request has expired")
	}
	wall := h.env.Wall.Now().Unix()
	if d := wall - req.Time; d > protocol.AnswerMaxAgeSecs || d < -protocol.AnswerMaxAgeSecs {
		return svc.DevErr(protocol.ErrInvalidAnswer, "answer time outside the accepted window")
	}
	if subtle.ConstantTimeCompare([]byte(req.Nonce), []byte(tr.Nonce)) != 1 {
		return svc.DevErr(protocol.ErrInvalidAnswer, "nonce does not match")
	}
	if req.MessageHash != protocol.MessageHash(tr.Message) {
		return svc.DevErr(protocol.ErrInvalidAnswer, "message hash does not match the request")
	}
	pub, err := protocol.DecodePublicKey(enr.PublicKey)
	if err != nil {
		return errInternal
	}
	if err := protocol.VerifyAnswerSignature(pub, req); err != nil {
		return svc.DevErr(protocol.ErrInvalidAnswer, "answer signature does not verify")
	}
	return nil
}
