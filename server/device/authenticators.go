package device

import (
	"context"
	"errors"
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// Biometric authenticators and PIN change (issue 15, DESIGN §14). The
// biometric key is a second, user-verified device key: registering it needs
// an access token of a PIN login; logging in with it signs a fresh,
// single-use challenge bound to the profile and the calling client.

var (
	errNoAuthenticator = httpio.DevErr(protocol.ErrNotFound, "no biometric authenticator is registered for this profile")
	errBadChallenge    = httpio.DevErr(protocol.ErrInvalidGrant, "unknown, used, expired or foreign challenge")
	errBadSignature    = httpio.DevErr(protocol.ErrInvalidGrant, "challenge signature does not verify")
	errNeedPinLogin    = httpio.DevErr(protocol.ErrInvalidToken, "this needs an access token of a PIN login")
	errTokenProfile    = httpio.DevErr(protocol.ErrInvalidToken, "the access token is for another profile")
	errBiometricLimit  = httpio.DevErr(protocol.ErrRateLimited, "too many biometric attempts; wait and retry")
)

// tokenFor authenticates a request that needs an access token of profileID.
func (h *Handler) tokenFor(r *http.Request, profileID string) (*caller, *httpio.DeviceError) {
	c, de := h.authenticate(r, true)
	if de != nil {
		return nil, de
	}
	if profileID == "" || len(profileID) > 128 {
		return nil, badField("profile_id")
	}
	if c.token.ProfileID != profileID {
		return nil, errTokenProfile
	}
	return c, nil
}

// registerAuthenticator: POST PathAuthenticators.
func (h *Handler) registerAuthenticator(w http.ResponseWriter, r *http.Request) {
	var req protocol.AuthenticatorRegisterRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	c, de := h.tokenFor(r, req.ProfileID)
	if de != nil {
		fail(w, de)
		return
	}
	if c.token.AMR != protocol.AMRPin {
		fail(w, errNeedPinLogin)
		return
	}
	if req.Type != protocol.AuthenticatorBiometric {
		fail(w, badField("type"))
		return
	}
	if len(req.PublicKey) > 512 {
		fail(w, badField("public_key"))
		return
	}
	if _, err := protocol.DecodePublicKey(req.PublicKey); err != nil {
		fail(w, badField("public_key"))
		return
	}
	ctx := r.Context()
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		p, de, err := ownProfile(ctx, tx, c, req.ProfileID, true)
		if err != nil || de != nil {
			return de, err
		}
		// The token must still exist under the lock (a removal in between
		// revoked it).
		if _, err := tx.GetToken(ctx, c.token.Hash); errors.Is(err, store.ErrNotFound) {
			return httpio.DevErr(protocol.ErrInvalidToken, "access token invalid or expired"), nil
		} else if err != nil {
			return nil, err
		}
		return nil, tx.PutAuthenticator(ctx, store.Authenticator{ProfileID: p.ID, Type: req.Type, ClientID: c.client.ID, PublicKey: req.PublicKey, CreatedAt: h.env.NowMs()})
	})
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Log.Info().Str("profile_id", req.ProfileID).Str("type", req.Type).Msg("authenticator registered")
	httpio.WriteJSON(w, http.StatusOK, protocol.AuthenticatorRegisterResponse{Type: req.Type})
}

// deregisterAuthenticator: POST PathAuthenticatorDeregister.
func (h *Handler) deregisterAuthenticator(w http.ResponseWriter, r *http.Request) {
	var req protocol.AuthenticatorDeregisterRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	c, de := h.tokenFor(r, req.ProfileID)
	if de != nil {
		fail(w, de)
		return
	}
	if req.Type != protocol.AuthenticatorBiometric {
		fail(w, badField("type"))
		return
	}
	ctx := r.Context()
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		if _, de, err := ownProfile(ctx, tx, c, req.ProfileID, true); err != nil || de != nil {
			return de, err
		}
		found, err := tx.DeleteAuthenticator(ctx, req.ProfileID, req.Type)
		if err == nil && !found {
			return errNoAuthenticator, nil
		}
		return nil, err
	})
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Log.Info().Str("profile_id", req.ProfileID).Str("type", req.Type).Msg("authenticator deregistered")
	httpio.WriteJSON(w, http.StatusOK, map[string]string{})
}

// challenge: POST PathAuthenticatorChallenge. Rate-limited per profile
// together with the biometric grant.
func (h *Handler) challenge(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, false)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.ChallengeRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if req.ProfileID == "" || len(req.ProfileID) > 128 {
		fail(w, badField("profile_id"))
		return
	}
	if !h.env.Limits.BiometricPerProfile.Allow(req.ProfileID) {
		h.env.Audit(audit.BiometricLimited).Str("ip", c.ip).Str("profile_id", req.ProfileID).Str("client_id", c.client.ID).Msg("biometric challenge rate-limited")
		fail(w, errBiometricLimit)
		return
	}
	ctx := r.Context()
	challenge := protocol.RandomToken(32)
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		if _, de, err := ownProfile(ctx, tx, c, req.ProfileID, false); err != nil || de != nil {
			return de, err
		}
		if _, err := tx.GetAuthenticator(ctx, req.ProfileID, protocol.AuthenticatorBiometric); errors.Is(err, store.ErrNotFound) {
			return errNoAuthenticator, nil
		} else if err != nil {
			return nil, err
		}
		return nil, tx.CreateChallenge(ctx, store.Challenge{Hash: secrethash.Token(challenge), ProfileID: req.ProfileID, ClientID: c.client.ID,
			ExpiresAt: h.env.NowMs() + protocol.ChallengeTTLSeconds*1000})
	})
	if de != nil {
		fail(w, de)
		return
	}
	httpio.WriteJSON(w, http.StatusOK, protocol.ChallengeResponse{Challenge: challenge, ExpiresIn: protocol.ChallengeTTLSeconds})
}

// biometricGrant logs in with a challenge signed by the profile's biometric
// key. The challenge is taken (deleted) in the same transaction whatever the
// outcome: it is never usable twice.
func (h *Handler) biometricGrant(ctx context.Context, c *caller, req *protocol.TokenRequest) (*protocol.TokenResponse, *httpio.DeviceError) {
	if req.ProfileID == "" || len(req.ProfileID) > 128 || req.Challenge == "" || len(req.Challenge) > 128 || req.Signature == "" || len(req.Signature) > 160 {
		return nil, badField("profile_id, challenge or signature")
	}
	if !h.env.Limits.BiometricPerProfile.Allow(req.ProfileID) {
		h.env.Audit(audit.BiometricLimited).Str("ip", c.ip).Str("profile_id", req.ProfileID).Str("client_id", c.client.ID).Msg("biometric login rate-limited")
		return nil, errBiometricLimit
	}
	var resp *protocol.TokenResponse
	var userID string
	de := h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		ch, err := tx.TakeChallenge(ctx, secrethash.Token(req.Challenge))
		if errors.Is(err, store.ErrNotFound) {
			return errBadChallenge, nil
		} else if err != nil {
			return nil, err
		}
		if ch.ProfileID != req.ProfileID || ch.ClientID != c.client.ID || h.env.NowMs() >= ch.ExpiresAt {
			return errBadChallenge, nil
		}
		p, de, err := ownProfile(ctx, tx, c, req.ProfileID, true)
		if err != nil || de != nil {
			return de, err
		}
		userID = p.UserID
		a, err := tx.GetAuthenticator(ctx, p.ID, protocol.AuthenticatorBiometric)
		if errors.Is(err, store.ErrNotFound) {
			return errNoAuthenticator, nil
		} else if err != nil {
			return nil, err
		}
		pub, err := protocol.DecodePublicKey(a.PublicKey)
		if err != nil {
			return nil, err
		}
		if protocol.VerifyChallengeSignature(pub, req.Signature, req.Challenge, p.ID, c.client.ID) != nil {
			return errBadSignature, nil
		}
		resp, err = h.issue(ctx, tx, p, p.Scope, "", protocol.AMRBiometric)
		return nil, err
	})
	if de != nil {
		if de != errReplay {
			h.env.Audit(audit.BiometricFailed).Str("ip", c.ip).Str("user_id", userID).Str("profile_id", req.ProfileID).
				Str("client_id", c.client.ID).Str("reason", de.Description).Msg("biometric login refused")
		}
		return nil, de
	}
	return resp, nil
}

// changePin: POST PathChangePin. The current PIN is verified like a PIN
// login (failure counter, removal after the last failure, rate limit); the
// new PIN must meet the policy and is hashed before the transaction, which
// replaces the verifier only if the current PIN was right.
func (h *Handler) changePin(w http.ResponseWriter, r *http.Request) {
	var req protocol.ChangePinRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	c, de := h.tokenFor(r, req.ProfileID)
	if de != nil {
		fail(w, de)
		return
	}
	if res := pinpolicy.Check(req.NewPin, h.env.PinLength); res != pinpolicy.OK {
		fail(w, httpio.DevErr(protocol.ErrPinNotAllowed, "PIN does not meet the policy: "+res.Message(h.env.PinLength)))
		return
	}
	newHash, err := h.env.Hashes.Hash(req.NewPin)
	if err != nil {
		fail(w, errHashBusy)
		return
	}
	de = h.checkPin(r.Context(), c, req.ProfileID, req.Pin, func(tx store.Tx, cur store.Profile) error {
		return tx.SetPinHash(r.Context(), cur.ID, newHash)
	})
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Log.Info().Str("profile_id", req.ProfileID).Msg("PIN changed")
	httpio.WriteJSON(w, http.StatusOK, map[string]string{})
}
