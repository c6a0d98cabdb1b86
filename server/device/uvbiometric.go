package device

import (
	"context"
	"errors"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/store"
)

// User verification by the biometric authenticator (DESIGN §13 "or a
// biometric-key signature", issue 15): the second userVerifier beside the
// PIN. The accept carries verification_method biometric and uv_signature,
// the profile's registered biometric key's signature over the same answer
// digest the device key signs (protocol.VerifyUVSignature). A stateless
// ceremony: the claim's nonce is the server's fresh challenge, bound to the
// transaction and spent by the exactly-once answer, so no extra challenge
// is stored (see protocol.SignUV).

var (
	errUVNoAuthenticator = httpio.DevErr(protocol.ErrInvalidAnswer, "verification_method biometric: no biometric authenticator is registered for this profile on this device; use the PIN")
	errUVBadSignature    = httpio.DevErr(protocol.ErrInvalidAnswer, "uv_signature does not verify with the profile's biometric authenticator")
)

// biometricVerifier checks AnswerRequest.UVSignature against the profile's
// registered biometric key. Attempts share the biometric login's rate limit
// (Limits.BiometricPerProfile); a refused attempt records no answer and is
// audited as a biometric failure.
type biometricVerifier struct{ h *Handler }

func (v biometricVerifier) verifyAndAnswer(ctx context.Context, c *caller, req *protocol.AnswerRequest, answer func(tx store.Tx) (*httpio.DeviceError, error)) *httpio.DeviceError {
	h := v.h
	if req.UVSignature == "" || len(req.UVSignature) > 160 {
		return badField("uv_signature")
	}
	if !h.env.Limits.BiometricPerProfile.Allow(req.ProfileID) {
		h.env.Audit(audit.BiometricLimited).Str("ip", c.ip).Str("profile_id", req.ProfileID).Str("client_id", c.client.ID).
			Str("transaction_id", req.TransactionID).Msg("biometric answer rate-limited")
		return errBiometricLimit
	}
	var refused *httpio.DeviceError
	de := h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		a, err := tx.GetAuthenticator(ctx, req.ProfileID, protocol.AuthenticatorBiometric)
		if errors.Is(err, store.ErrNotFound) {
			refused = errUVNoAuthenticator
			return refused, nil
		} else if err != nil {
			return nil, err
		}
		// Registered from this client (the profile's own; defence in depth).
		if a.ClientID != c.client.ID {
			refused = errUVNoAuthenticator
			return refused, nil
		}
		pub, err := protocol.DecodePublicKey(a.PublicKey)
		if err != nil {
			return nil, err
		}
		if protocol.VerifyUVSignature(pub, req) != nil {
			refused = errUVBadSignature
			return refused, nil
		}
		return answer(tx)
	})
	if refused != nil {
		h.env.Audit(audit.BiometricFailed).Str("ip", c.ip).Str("profile_id", req.ProfileID).Str("client_id", c.client.ID).
			Str("transaction_id", req.TransactionID).Str("reason", refused.Description).Msg("biometric answer refused")
	}
	return de
}
