package device

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/antifatigue"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/store"
)

// Push mobile authentication (DESIGN §12). The device registers a push
// target on its enrollment, lists or fetches its user's open push requests
// and claims one by id; the answer is PathAnswer's, unchanged. Every
// endpoint is authenticated like the OTP claim (client DPoP, the profile
// enrolled on this client), and only requests bound to that enrollment's
// user are ever listed, shown or claimable: for anything else the answer is
// the same not_found as for an unknown id.

// maxPendingListed bounds one pending list.
const maxPendingListed = 20

var errPushLimited = httpio.DevErr(protocol.ErrRateLimited, "too many push requests from this device; wait and retry")

// registerPush: POST PathPushRegister.
func (h *Handler) registerPush(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.PushRegisterRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if !h.env.Limits.PushPollPerClient.Allow(c.client.ID) {
		fail(w, errPushLimited)
		return
	}
	tgt, de := h.pushTarget(&req)
	if de != nil {
		fail(w, de)
		return
	}
	ctx := r.Context()
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		e, de, err := enrollmentOf(ctx, tx, c, req.ProfileID)
		if de != nil || err != nil {
			return de, err
		}
		tgt.EnrollmentID = e.ID
		tgt.UpdatedAt = h.env.NowMs()
		return nil, tx.PutPushTarget(ctx, tgt)
	})
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Log.Info().Str("profile_id", req.ProfileID).Str("provider", req.Provider).Msg("push target registered")
	httpio.WriteJSON(w, http.StatusOK, protocol.PushRegisterResponse{ProfileID: req.ProfileID, Provider: req.Provider, VAPIDPublicKey: h.env.Push.VAPIDPublicKey})
}

// pushTarget checks a registration. Tokens are opaque to the server but must
// be printable ASCII of sane length; a Web Push subscription must be an
// https endpoint with a P-256 public key and a 16-byte auth secret.
func (h *Handler) pushTarget(req *protocol.PushRegisterRequest) (store.PushTarget, *httpio.DeviceError) {
	if !push.KnownProvider(req.Provider) {
		return store.PushTarget{}, badField("provider (fcm, apns or webpush)")
	}
	if h.env.Push.Supports == nil || !h.env.Push.Supports(req.Provider) {
		return store.PushTarget{}, httpio.DevErr(protocol.ErrInvalidRequest, "this server does not send "+req.Provider+" pushes")
	}
	t := store.PushTarget{Provider: req.Provider}
	if req.Provider == push.ProviderWebPush {
		if req.Token != "" || push.CheckEndpoint(req.Endpoint, h.env.Push.AllowPrivateEndpoints) != nil {
			return t, badField("endpoint (an https URL)")
		}
		p256dh, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(req.P256dh, "="))
		if err != nil {
			return t, badField("p256dh")
		}
		if _, err := ecdh.P256().NewPublicKey(p256dh); err != nil {
			return t, badField("p256dh")
		}
		auth, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(req.Auth, "="))
		if err != nil || len(auth) != 16 {
			return t, badField("auth")
		}
		t.Endpoint = req.Endpoint
		t.P256dh = base64.RawURLEncoding.EncodeToString(p256dh)
		t.Auth = base64.RawURLEncoding.EncodeToString(auth)
		return t, nil
	}
	if req.Endpoint != "" || req.P256dh != "" || req.Auth != "" || !printableToken(req.Token) {
		return t, badField("token")
	}
	t.Token = req.Token
	return t, nil
}

func printableToken(s string) bool {
	if len(s) < 8 || len(s) > 4096 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// pending: GET PathPushPending?profile_id= → the user's open push requests.
func (h *Handler) pending(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	if !h.env.Limits.PushPollPerClient.Allow(c.client.ID) {
		fail(w, errPushLimited)
		return
	}
	profileID := r.URL.Query().Get("profile_id")
	ctx := r.Context()
	resp := protocol.PendingResponse{Requests: []protocol.PendingRequest{}}
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		e, de, err := enrollmentOf(ctx, tx, c, profileID)
		if de != nil || err != nil {
			return de, err
		}
		open, err := tx.OpenPushRequests(ctx, e.UserID, h.env.NowMs(), false, maxPendingListed)
		for _, t := range open {
			if t.BoundUserID != e.UserID { // the store's join guarantees it; never list another user's
				continue
			}
			pr, err := pendingOf(t, e)
			if err != nil {
				return nil, err
			}
			resp.Requests = append(resp.Requests, pr)
		}
		return nil, err
	})
	if de != nil {
		fail(w, de)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, resp)
}

// pendingOf is push request t as listed to enrollment e, with its DESIGN §13
// extras (details, number-matching candidates, user verification).
func pendingOf(t store.Transaction, e store.Enrollment) (protocol.PendingRequest, error) {
	x, err := antifatigue.ParseExtras(t.Extras)
	if err != nil {
		return protocol.PendingRequest{}, fmt.Errorf("transaction %s: stored request extras unreadable: %w", t.ID, err)
	}
	return protocol.PendingRequest{TransactionID: t.ID, ProfileID: e.ProfileID, Type: t.Type, Message: t.Message,
		CreatedAt: t.CreatedAt / 1000, ExpiresAt: t.ExpiresAt / 1000,
		Details: x.Details, MatchCandidates: x.Candidates, UserVerification: x.UserVerification}, nil
}

// pushRequest: GET PathPushRequest{id}?profile_id= → one open push request
// of the profile's user (what a push announced).
func (h *Handler) pushRequest(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	if !h.env.Limits.PushPollPerClient.Allow(c.client.ID) {
		fail(w, errPushLimited)
		return
	}
	id := r.PathValue("id")
	profileID := r.URL.Query().Get("profile_id")
	if id == "" || len(id) > 128 {
		fail(w, badField("transaction id"))
		return
	}
	ctx := r.Context()
	var out protocol.PendingRequest
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		e, de, err := enrollmentOf(ctx, tx, c, profileID)
		if de != nil || err != nil {
			return de, err
		}
		t, de, err := h.openPushRequest(ctx, tx, id, e)
		if de != nil || err != nil {
			return de, err
		}
		if t.Status != store.StatusPending {
			return errAlreadyClaimed, nil
		}
		out, err = pendingOf(t, e)
		return nil, err
	})
	if de != nil {
		fail(w, de)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, out)
}

// openPushRequest reads push request id for enrollment e: not_found unless it
// is a push request bound to e's user and unexpired (nothing of another
// user's request is revealed).
func (h *Handler) openPushRequest(ctx context.Context, tx store.Tx, id string, e store.Enrollment) (store.Transaction, *httpio.DeviceError, error) {
	t, err := tx.GetTransaction(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return t, errTxNotFound, nil
	} else if err != nil {
		return t, nil, err
	}
	if t.BoundUserID == "" || t.BoundUserID != e.UserID || !strings.HasPrefix(t.OTPHash, store.PushOTPHashPrefix) || h.env.NowMs() >= t.ExpiresAt {
		return store.Transaction{}, errTxNotFound, nil
	}
	isPush, err := tx.IsPushRequest(ctx, id)
	if err != nil {
		return t, nil, err
	}
	if !isPush {
		return store.Transaction{}, errTxNotFound, nil
	}
	return t, nil, nil
}

// pushClaim: POST PathPushClaim {transaction_id, profile_id} → the same
// ClaimResponse as an OTP claim (message, nonce); the device answers with
// PathAnswer. The claim is the OTP claim's statement (ClaimOnce: the jti,
// the pending status, the expiry and the enrollment checked atomically).
func (h *Handler) pushClaim(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.PushClaimRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if !h.env.Limits.ClaimPerClient.Allow(c.client.ID) || !h.env.Limits.ClaimPerIP.Allow(clientip.LimitKey(clientip.From(r))) {
		fail(w, httpio.DevErr(protocol.ErrRateLimited, "too many claims; wait and retry"))
		return
	}
	if req.TransactionID == "" || len(req.TransactionID) > 128 {
		fail(w, badField("transaction_id"))
		return
	}
	ctx := r.Context()
	jti := jtiKey(c.client.ID, c.proof.Claims.JTI)
	var (
		enr store.Enrollment
		tr  store.Transaction
	)
	for attempt := 0; ; attempt++ {
		err := h.env.Store.View(ctx, func(tx store.Tx) error {
			var err error
			enr, de, err = enrollmentOf(ctx, tx, c, req.ProfileID)
			if de != nil || err != nil {
				return err
			}
			tr, de, err = h.openPushRequest(ctx, tx, req.TransactionID, enr)
			return err
		})
		if err != nil {
			h.env.Log.Error().Err(err).Msg("push claim lookup")
			fail(w, errInternal)
			return
		}
		if de != nil {
			fail(w, de)
			return
		}
		if tr.Status != store.StatusPending {
			fail(w, errAlreadyClaimed)
			return
		}
		ce := h.cacheEnrollment(enr)
		nonce := protocol.RandomToken(16)
		fresh, claimed, err := h.env.Store.ClaimOnce(ctx, jti, h.jtiExpiry(), tr.ID, enr, nonce, h.env.NowMs())
		if err == nil {
			spent(ctx)
		}
		switch {
		case errors.Is(err, store.ErrNotEnrolled) && attempt < 2:
			h.env.TxCache.ForgetEnrollment(enr.ProfileID, enr.ClientID)
			continue
		case err != nil:
			h.env.Log.Error().Err(err).Msg("push claim")
			fail(w, errInternal)
			return
		case !fresh:
			fail(w, errReplay)
			return
		case !claimed:
			fail(w, errAlreadyClaimed)
			return
		}
		if ce != nil {
			h.env.TxCache.Put(tr)
			h.env.TxCache.Claimed(tr, nonce, ce)
		}
		h.env.Hub.Notify(tr.ID)
		h.env.Log.Info().Str("transaction_id", tr.ID).Str("profile_id", enr.ProfileID).Msg("push request claimed")
		resp := protocol.ClaimResponse{TransactionID: tr.ID, Message: tr.Message, Type: tr.Type, Nonce: nonce,
			ExpiresAt: tr.ExpiresAt / 1000, ProfileID: enr.ProfileID, UserID: enr.UserID}
		// DESIGN §13 on the push path as on the OTP claim: the details the
		// answer must sign, the candidates, the user verification.
		if err := claimExtras(&resp, tr); err != nil {
			h.env.Log.Error().Err(err).Str("transaction_id", tr.ID).Msg("stored request extras unreadable")
			fail(w, errInternal)
			return
		}
		httpio.WriteJSON(w, http.StatusOK, resp)
		return
	}
}
