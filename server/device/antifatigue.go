package device

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/antifatigue"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/policies"
	"github.com/openmobileauth/oma/server/store"
)

// Anti-fatigue and user verification on the device API (DESIGN §13, issue
// 14). A request with extras (number matching, details, user verification)
// or an answer with a new field is answered here, in one store transaction
// with the proof's jti: the checks of verifyAnswer (the signature covers
// protocol.AnswerPayloadV2: details hash, pick, verification method and
// reason), then
//   - number matching: an accept must carry a pick among the candidates; a
//     pick other than the code records a deny with reason wrong_match and
//     counts toward the user's lock-out (antifatigue.AddMatchFailure; at
//     Env.MatchFailureLimit in a row the user's user-bound requests are
//     suspended as for "not me");
//   - user verification "required": an accept must carry a verification
//     the server checks (userVerifier; the PIN with the profile's counter
//     and removal on the last failure, as the PIN grant; or the registered
//     biometric key's signature over the answer digest, with the biometric
//     rate limit); a failed check records no answer;
//   - "not me": a deny with reason not_me records it (the relying party
//     sees reported_by_user), suspends the user's user-bound requests for
//     Env.SuspendFor and writes an audit record.

// userVerifier is a user-verification factor an accept can carry for a
// type that requires one (AnswerRequest.VerificationMethod names it). The
// PIN (pinVerifier) and the biometric authenticator (biometricVerifier,
// uvbiometric.go) are the two.
type userVerifier interface {
	// verifyAndAnswer checks what req carries for this factor and, only
	// when it verifies, runs answer in the same store transaction (with
	// the proof's jti). A failed check answers its error and records no
	// answer (what the check itself counts, such as a failure counter,
	// still commits).
	verifyAndAnswer(ctx context.Context, c *caller, req *protocol.AnswerRequest, answer func(tx store.Tx) (*httpio.DeviceError, error)) *httpio.DeviceError
}

// verifiers are the factors by AnswerRequest.VerificationMethod.
func (h *Handler) verifiers() map[string]userVerifier {
	return map[string]userVerifier{
		protocol.VerificationPIN:       pinVerifier{h},
		protocol.VerificationBiometric: biometricVerifier{h}, // uvbiometric.go
	}
}

// pinVerifier verifies AnswerRequest.Pin with the PIN grant's own check
// (checkPin: the durable counter, the removal on the last failure, the
// profile row locked).
type pinVerifier struct{ h *Handler }

func (v pinVerifier) verifyAndAnswer(ctx context.Context, c *caller, req *protocol.AnswerRequest, answer func(tx store.Tx) (*httpio.DeviceError, error)) *httpio.DeviceError {
	var refused *httpio.DeviceError
	de := v.h.checkPin(ctx, c, req.ProfileID, req.Pin, func(tx store.Tx, _ store.Profile) error {
		d, err := answer(tx)
		if err != nil {
			return err
		}
		if d != nil {
			refused = d
			return errRollback // nothing of this answer is kept
		}
		return nil
	})
	if refused != nil {
		return refused
	}
	return de
}

// claimExtras adds a request's extras to its claim response.
func claimExtras(resp *protocol.ClaimResponse, tr store.Transaction) error {
	x, err := antifatigue.ParseExtras(tr.Extras)
	if err != nil {
		return err
	}
	resp.Details = x.Details
	resp.MatchCandidates = x.Candidates
	resp.UserVerification = x.UserVerification
	return nil
}

// checkDetailsHash: the answer signs the hash of exactly the details the
// request holds (none: no hash).
func checkDetailsHash(req *protocol.AnswerRequest, tr store.Transaction) *httpio.DeviceError {
	want := ""
	if tr.Extras != "" {
		x, err := antifatigue.ParseExtras(tr.Extras)
		if err != nil {
			return errInternal
		}
		want = protocol.DetailsHash(x.Details)
	}
	if req.DetailsHash != want {
		return httpio.DevErr(protocol.ErrInvalidAnswer, "details hash does not match the request")
	}
	return nil
}

var errWrongReason = httpio.DevErr(protocol.ErrInvalidAnswer, "reason: only a deny may carry one, and only not_me")

// answerExtended answers tr (read from the store, claimed by enr) with req.
func (h *Handler) answerExtended(ctx context.Context, c *caller, req *protocol.AnswerRequest, tr store.Transaction, enr store.Enrollment, jti string) (store.Transaction, string, *httpio.DeviceError) {
	if de := h.checkAnswer(c, req, tr, enr); de != nil {
		return tr, "", de
	}
	x, err := antifatigue.ParseExtras(tr.Extras)
	if err != nil {
		h.env.Log.Error().Err(err).Str("transaction_id", tr.ID).Msg("stored request extras unreadable")
		return tr, "", errInternal
	}
	accept := req.Decision == protocol.DecisionAccept
	if req.Reason != "" && (accept || req.Reason != protocol.ReasonNotMe) {
		return tr, "", errWrongReason
	}
	if req.VerificationMethod != "" && (!accept || x.UserVerification != protocol.UserVerificationRequired) {
		return tr, "", httpio.DevErr(protocol.ErrInvalidAnswer, "verification_method: this answer needs none")
	}
	if req.Pin != "" && req.VerificationMethod != protocol.VerificationPIN {
		return tr, "", badField("pin")
	}
	if req.UVSignature != "" && req.VerificationMethod != protocol.VerificationBiometric {
		return tr, "", badField("uv_signature")
	}
	status := store.StatusDenied
	var out antifatigue.Outcome
	var ver userVerifier
	if accept {
		status = store.StatusAccepted
		if x.MatchCode != "" {
			if req.MatchPick == "" {
				return tr, "", httpio.DevErr(protocol.ErrInvalidAnswer, "this request needs the number the user picked (match_pick)")
			}
			if !slices.Contains(x.Candidates, req.MatchPick) {
				return tr, "", httpio.DevErr(protocol.ErrInvalidAnswer, "match_pick is not one of the candidates")
			}
			if subtle.ConstantTimeCompare([]byte(req.MatchPick), []byte(x.MatchCode)) != 1 {
				status, out.Reason = store.StatusDenied, protocol.ReasonWrongMatch
			}
		} else if req.MatchPick != "" {
			return tr, "", httpio.DevErr(protocol.ErrInvalidAnswer, "match_pick: this request has no number matching")
		}
		if status == store.StatusAccepted && x.UserVerification == protocol.UserVerificationRequired {
			v, ok := h.verifiers()[req.VerificationMethod]
			if !ok {
				return tr, "", httpio.DevErr(protocol.ErrInvalidAnswer, "this request needs user verification (verification_method pin with the PIN, or biometric with uv_signature)")
			}
			ver = v
			out.Verification = req.VerificationMethod
		}
	} else {
		out.Reason = req.Reason
	}
	userID := enr.UserID
	now := h.env.NowMs()
	var (
		suspended  *antifatigue.Suspension
		matchFails int
	)
	answer := func(tx store.Tx) (*httpio.DeviceError, error) {
		// The claiming enrollment must still exist (deregistration, PIN
		// removal, override).
		if _, err := tx.GetEnrollment(ctx, enr.ID); errors.Is(err, store.ErrNotFound) {
			de, err := enrollmentGone(ctx, tx, c, req.ProfileID)
			return de, err
		} else if err != nil {
			return nil, err
		}
		if de, err := userCheck(ctx, tx, enr.UserID); de != nil || err != nil {
			return de, err
		}
		ok, err := tx.AnswerTransactionOutcome(ctx, tr.ID, enr.ID, tr.Nonce, status, out.Encode(), now)
		if err != nil {
			return nil, err
		}
		if !ok {
			return errAlreadyAnswered, nil
		}
		if cb := callbackRow(tr, now); cb != nil {
			if err := tx.EnqueueCallback(ctx, *cb); err != nil {
				return nil, err
			}
		}
		// The operator's stored suspension period, else the configuration's.
		suspendFor, err := policies.NotMeSuspension(ctx, tx, h.env.SuspendFor)
		if err != nil {
			return nil, err
		}
		switch {
		case out.Reason == protocol.ReasonNotMe:
			s, err := antifatigue.Suspend(ctx, tx, userID, protocol.ReasonNotMe, now, suspendFor)
			if err != nil {
				return nil, err
			}
			suspended = &s
		case out.Reason == protocol.ReasonWrongMatch:
			n, err := antifatigue.AddMatchFailure(ctx, tx, userID)
			if err != nil {
				return nil, err
			}
			matchFails = n
			if n >= h.env.MatchFailureLimit {
				s, err := antifatigue.Suspend(ctx, tx, userID, protocol.ReasonWrongMatch, now, suspendFor)
				if err != nil {
					return nil, err
				}
				suspended = &s
				if err := antifatigue.ResetMatchFailures(ctx, tx, userID); err != nil {
					return nil, err
				}
			}
		case status == store.StatusAccepted && x.MatchCode != "":
			if err := antifatigue.ResetMatchFailures(ctx, tx, userID); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	var de *httpio.DeviceError
	if ver != nil {
		de = ver.verifyAndAnswer(ctx, c, req, answer)
	} else {
		de = h.commit(ctx, jti, answer)
	}
	if de != nil {
		return tr, "", de
	}
	// The relying party's view needs the outcome: it reads the store.
	h.env.TxCache.Forget(tr.ID)
	switch out.Reason {
	case protocol.ReasonNotMe:
		h.env.Audit(audit.NotMe).Str("ip", c.ip).Str("user_id", userID).Str("profile_id", enr.ProfileID).
			Str("transaction_id", tr.ID).Str("api_client_id", tr.APIClientID).Msg("the user reported a request as not theirs")
	case protocol.ReasonWrongMatch:
		h.env.Audit(audit.WrongMatch).Str("ip", c.ip).Str("user_id", userID).Str("profile_id", enr.ProfileID).
			Str("transaction_id", tr.ID).Int("failures", matchFails).Msg("wrong number picked")
	}
	if suspended != nil {
		h.env.Audit(audit.UserSuspended).Str("user_id", userID).Str("reason", suspended.Reason).
			Int64("until", suspended.Until).Msg("user-bound requests suspended")
	}
	return tr, status, nil
}
