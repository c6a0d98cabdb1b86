package device

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/policies"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// token: POST PathToken.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.TokenRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	var resp *protocol.TokenResponse
	switch req.GrantType {
	case protocol.GrantAuthorizationCode:
		resp, de = h.codeGrant(r.Context(), c, &req)
	case protocol.GrantPin:
		resp, de = h.pinGrant(r.Context(), c, &req)
	case protocol.GrantRefreshToken:
		resp, de = h.refreshGrant(r.Context(), c, &req)
	case protocol.GrantBiometric:
		resp, de = h.biometricGrant(r.Context(), c, &req)
	case protocol.GrantClientCredentials:
		resp, de = h.clientCredentialsGrant(r.Context(), c, &req)
	case protocol.GrantImplicit:
		resp, de = h.implicitGrant(r.Context(), c, &req)
	default:
		de = httpio.DevErr(protocol.ErrInvalidRequest, "unsupported grant_type")
	}
	if de != nil {
		fail(w, de)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, resp)
}

// issue stores a fresh access and refresh token for p and returns them. An
// empty family starts a new one (a login); a rotation passes its family on.
//
// amr says how the login was authenticated (protocol.AMRPin or AMRBiometric);
// rotations keep their family's.
//
// Every user token is issued here: a user the operator disabled gets none
// (refusal errUserDisabled, the transaction rolled back).
func (h *Handler) issue(ctx context.Context, tx store.Tx, p store.Profile, scope, family, amr string) (*protocol.TokenResponse, error) {
	if err := refuseDisabled(ctx, tx, p.UserID); err != nil {
		return nil, err
	}
	now := h.env.Clock.Now()
	if family == "" {
		family = protocol.RandomToken(16)
	}
	access, refresh := protocol.RandomToken(32), protocol.RandomToken(32)
	for _, t := range []store.Token{
		{Hash: secrethash.Token(access), Kind: store.TokenAccess, ProfileID: p.ID, ClientID: p.ClientID, UserID: p.UserID, Scope: scope, Family: family, AMR: amr, ExpiresAt: now.Add(h.env.AccessTTL).UnixMilli()},
		{Hash: secrethash.Token(refresh), Kind: store.TokenRefresh, ProfileID: p.ID, ClientID: p.ClientID, UserID: p.UserID, Scope: scope, Family: family, AMR: amr, ExpiresAt: now.Add(h.env.RefreshTTL).UnixMilli()},
	} {
		if err := tx.CreateToken(ctx, t); err != nil {
			return nil, err
		}
	}
	return &protocol.TokenResponse{AccessToken: access, TokenType: protocol.AuthSchemeDPoP, ExpiresIn: int(h.env.AccessTTL / time.Second),
		RefreshToken: refresh, ProfileID: p.ID, UserID: p.UserID, Scope: scope}, nil
}

// codeGrant redeems an authorization code (PKCE) and creates the profile with
// its new PIN. The PIN policy is checked before the code is spent, so the app
// can ask for another PIN and retry with the same code. The code is checked
// before the PIN is hashed: without a valid code no argon2 work is done
// (issue 11, item 3).
func (h *Handler) codeGrant(ctx context.Context, c *caller, req *protocol.TokenRequest) (*protocol.TokenResponse, *httpio.DeviceError) {
	if req.Code == "" || req.CodeVerifier == "" || req.RedirectURI == "" || len(req.Code) > 256 || len(req.CodeVerifier) > 256 {
		return nil, badField("code, code_verifier or redirect_uri")
	}
	if r := pinpolicy.Check(req.Pin, h.env.PinLength); r != pinpolicy.OK {
		return nil, httpio.DevErr(protocol.ErrPinNotAllowed, "PIN does not meet the policy: "+r.Message(h.env.PinLength))
	}
	codeHash := secrethash.Token(req.Code)
	matches := func(code store.AuthCode) bool {
		return code.ClientID == c.client.ID && code.RedirectURI == req.RedirectURI && h.env.NowMs() < code.ExpiresAt &&
			protocol.PKCEMatches(req.CodeVerifier, code.CodeChallenge)
	}
	errNoCode := httpio.DevErr(protocol.ErrInvalidGrant, "unknown or used authorization code")
	errMismatch := httpio.DevErr(protocol.ErrInvalidGrant, "authorization code does not match")
	var code store.AuthCode
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		code, err = tx.GetAuthCode(ctx, codeHash)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) { return errNoCode, nil })
	case err != nil:
		h.env.Log.Error().Err(err).Msg("authorization code lookup")
		return nil, errInternal
	case !matches(code):
		// A code presented with the wrong verifier, client or redirect is spent.
		return nil, h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
			_, err := tx.TakeAuthCode(ctx, codeHash)
			if errors.Is(err, store.ErrNotFound) {
				err = nil
			}
			return errMismatch, err
		})
	}
	pinHash, err := h.env.Hashes.Hash(req.Pin)
	if err != nil {
		return nil, errHashBusy
	}
	var resp *protocol.TokenResponse
	de := h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		code, err := tx.TakeAuthCode(ctx, codeHash)
		if errors.Is(err, store.ErrNotFound) {
			return errNoCode, nil // a concurrent request redeemed it first
		} else if err != nil {
			return nil, err
		}
		if !matches(code) {
			return errMismatch, nil
		}
		p := store.Profile{ID: protocol.RandomToken(12), ClientID: c.client.ID, UserID: code.UserID, PinHash: pinHash, Scope: code.Scope, CreatedAt: h.env.NowMs()}
		if err := tx.CreateProfile(ctx, p); err != nil {
			return nil, err
		}
		resp, err = h.issue(ctx, tx, p, p.Scope, "", protocol.AMRPin)
		return nil, err
	})
	if de != nil {
		return nil, de
	}
	h.env.Log.Info().Str("client_id", c.client.ID).Str("profile_id", resp.ProfileID).Msg("user registered")
	return resp, nil
}

// errHashBusy answers a request that found every argon2 slot taken.
var errHashBusy = &httpio.DeviceError{Code: protocol.ErrRateLimited, Description: "server busy checking PINs; retry in a moment", Status: http.StatusServiceUnavailable}

// pinGrant verifies the PIN with the durable failure counter; the last
// allowed failure removes the registration.
//
// The argon2 verification runs before the store transaction (it takes tens of
// milliseconds and must not hold SQLite's single writer). Its result is bound
// to the exact stored hash it was computed against: the transaction locks the
// profile row (LockProfile) and applies the result only if the row still
// exists, belongs to this client and holds that same hash. Under the lock the
// counter update, the removal after the last failure, or the token issue happen
// in one transaction, so concurrent PIN requests of one profile are applied
// one after the other: a correct PIN that comes after the removal finds no
// profile, and no token or enrollment can outlive it (issue 11, item 2).
func (h *Handler) pinGrant(ctx context.Context, c *caller, req *protocol.TokenRequest) (*protocol.TokenResponse, *httpio.DeviceError) {
	var resp *protocol.TokenResponse
	de := h.checkPin(ctx, c, req.ProfileID, req.Pin, func(tx store.Tx, cur store.Profile) error {
		var err error
		resp, err = h.issue(ctx, tx, cur, cur.Scope, "", protocol.AMRPin)
		return err
	})
	if de != nil {
		return nil, de
	}
	return resp, nil
}

// checkPin verifies pin for the caller's profile with the durable failure
// counter (see pinGrant) and, when it is right, resets the counter and runs
// onOK in the same transaction with the profile row locked.
func (h *Handler) checkPin(ctx context.Context, c *caller, profileID, pin string, onOK func(tx store.Tx, cur store.Profile) error) *httpio.DeviceError {
	if pin == "" || len(pin) > 64 {
		return badField("pin")
	}
	var prof store.Profile
	var de *httpio.DeviceError
	maxFailures := h.env.PinMaxAttempts
	if err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if prof, de, err = ownProfile(ctx, tx, c, profileID, false); err != nil || de != nil {
			return err
		}
		// The operator's stored policy, else the configuration's.
		maxFailures, err = policies.PinMaxFailures(ctx, tx, h.env.PinMaxAttempts)
		return err
	}); err != nil {
		return errInternal
	}
	if de != nil {
		return de
	}
	if prof.PinFailures >= maxFailures {
		return httpio.DevErr(protocol.ErrUserDeregistered, "profile is not registered")
	}
	if !h.env.Limits.PinPerProfile.Allow(prof.ID) {
		return httpio.DevErr(protocol.ErrRateLimited, "too many PIN attempts; wait and retry")
	}
	ok, err := h.env.Hashes.Verify(prof.PinHash, pin) // slow hash: outside the transaction
	if errors.Is(err, secrethash.ErrBusy) {
		return errHashBusy
	} else if err != nil {
		h.env.Log.Error().Err(err).Str("profile_id", prof.ID).Msg("stored PIN hash unreadable")
		return errInternal
	}
	removed, failures := false, 0
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		cur, err := tx.LockProfile(ctx, prof.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (cur.ClientID != c.client.ID || cur.PinHash != prof.PinHash)) {
			return httpio.DevErr(protocol.ErrUserDeregistered, "profile is not registered"), nil
		} else if err != nil {
			return nil, err
		}
		if ok {
			if err := tx.ResetPinFailures(ctx, cur.ID); err != nil {
				return nil, err
			}
			return nil, onOK(tx, cur)
		}
		n, err := tx.AddPinFailure(ctx, cur.ID)
		if err != nil {
			return nil, err
		}
		failures = n
		if maxFailures, err = policies.PinMaxFailures(ctx, tx, h.env.PinMaxAttempts); err != nil {
			return nil, err
		}
		left := maxFailures - n
		if left <= 0 {
			removed = true
			if err := removeProfile(ctx, tx, cur.ID); err != nil {
				return nil, err
			}
			// remaining_attempts 0 tells the SDK this was the last wrong PIN
			// (not a registration removed earlier), so it can say both.
			none := 0
			return &httpio.DeviceError{Code: protocol.ErrUserDeregistered, Description: "too many wrong PINs; the registration was removed", RemainingAttempts: &none}, nil
		}
		return &httpio.DeviceError{Code: protocol.ErrInvalidPin, Description: "wrong PIN", RemainingAttempts: &left}, nil
	})
	if failures > 0 {
		h.env.Audit(audit.PinFailed).Str("ip", c.ip).Str("user_id", prof.UserID).Str("profile_id", prof.ID).
			Str("client_id", c.client.ID).Int("failures", failures).Bool("removed", removed).Msg("wrong PIN")
	}
	if removed {
		h.env.TxCache.ForgetEnrollment(prof.ID, prof.ClientID)
		h.env.Log.Warn().Str("profile_id", prof.ID).Msg("PIN attempts exhausted: registration removed")
	}
	return de
}

// refreshGrant rotates a refresh token. The presented token is kept, marked
// used, until it expires: presenting a used refresh token again means it was
// copied, so the whole family (every access and refresh token descending
// from the same login, including the ones the legitimate rotation produced)
// is revoked (issue 11, item 10; OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
func (h *Handler) refreshGrant(ctx context.Context, c *caller, req *protocol.TokenRequest) (*protocol.TokenResponse, *httpio.DeviceError) {
	if req.RefreshToken == "" || len(req.RefreshToken) > 256 {
		return nil, badField("refresh_token")
	}
	errInvalid := httpio.DevErr(protocol.ErrInvalidGrant, "refresh token invalid or expired")
	var resp *protocol.TokenResponse
	var reused *store.Token
	var revoked int64
	de := h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		t, err := tx.GetToken(ctx, secrethash.Token(req.RefreshToken))
		if errors.Is(err, store.ErrNotFound) || (err == nil && (t.Kind != store.TokenRefresh || t.ClientID != c.client.ID || h.env.NowMs() >= t.ExpiresAt)) {
			return errInvalid, nil
		} else if err != nil {
			return nil, err
		}
		p, err := tx.LockProfile(ctx, t.ProfileID)
		if errors.Is(err, store.ErrNotFound) {
			return httpio.DevErr(protocol.ErrUserDeregistered, "profile is not registered"), nil
		} else if err != nil {
			return nil, err
		}
		fresh := false
		if !t.Used {
			if fresh, err = tx.MarkTokenUsed(ctx, t.Hash); err != nil {
				return nil, err
			}
		}
		if !fresh {
			reused = &t
			if revoked, err = tx.DeleteTokenFamily(ctx, t.Family); err != nil {
				return nil, err
			}
			return errInvalid, nil
		}
		resp, err = h.issue(ctx, tx, p, t.Scope, t.Family, t.AMR)
		return nil, err
	})
	if reused != nil {
		h.env.Audit(audit.RefreshReused).Str("ip", c.ip).Str("user_id", reused.UserID).Str("profile_id", reused.ProfileID).
			Str("client_id", c.client.ID).Int64("tokens_revoked", revoked).Msg("refresh token reused: its token family was revoked")
	}
	return resp, de
}
