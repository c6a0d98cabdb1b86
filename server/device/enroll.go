package device

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"errors"
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/enrollpolicy"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/store"
	"github.com/openmobileauth/oma/server/txcache"
)

// enroll: POST PathEnroll with the access token and a CSR signed by the new
// P-256 key; the re-enrollment policy decides about other devices' keys
// (single and override refuse while another device is enrolled, multiple
// adds; only an operator reset removes another device's key).
func (h *Handler) enroll(w http.ResponseWriter, r *http.Request) {
	c, de := h.authenticate(r, true)
	if de != nil {
		fail(w, de)
		return
	}
	var req protocol.EnrollRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	if h.env.EnrollDisabled {
		fail(w, httpio.DevErr(protocol.ErrEnrollmentDisabled, "mobile authentication enrollment is disabled"))
		return
	}
	der, err := protocol.B64.DecodeString(req.CSR)
	if err != nil || len(der) == 0 {
		fail(w, badField("csr"))
		return
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		fail(w, badField("csr (PKCS#10 DER)"))
		return
	}
	pub, ok := csr.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		fail(w, badField("csr key (must be ECDSA P-256)"))
		return
	}
	if err := csr.CheckSignature(); err != nil {
		fail(w, httpio.DevErr(protocol.ErrInvalidRequest, "csr signature does not verify (proof of possession)"))
		return
	}
	wire, _ := protocol.EncodePublicKey(pub)
	ctx := r.Context()
	enr := store.Enrollment{ID: protocol.RandomToken(12), ProfileID: c.token.ProfileID, ClientID: c.client.ID, UserID: c.token.UserID, PublicKey: wire, CreatedAt: h.env.NowMs()}
	cert, err := h.env.CA.Issue(pub, enr.ID, enr.UserID, h.env.Clock.Now())
	if err != nil {
		h.env.Log.Error().Err(err).Msg("issuing enrollment certificate")
		fail(w, errInternal)
		return
	}
	enr.Certificate = protocol.B64.EncodeToString(cert)
	de = h.commit(ctx, jtiKey(c.client.ID, c.proof.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		// The profile row is locked first: a concurrent removal (wrong PINs,
		// deregistration) either committed before (then the profile and its
		// tokens are gone and nothing is enrolled) or waits for this
		// transaction and then deletes the new enrollment with the profile.
		if _, err := tx.LockProfile(ctx, c.token.ProfileID); errors.Is(err, store.ErrNotFound) {
			return httpio.DevErr(protocol.ErrUserDeregistered, "profile is not registered"), nil
		} else if err != nil {
			return nil, err
		}
		if _, err := tx.GetToken(ctx, c.token.Hash); errors.Is(err, store.ErrNotFound) {
			return httpio.DevErr(protocol.ErrInvalidToken, "access token invalid or expired"), nil
		} else if err != nil {
			return nil, err
		}
		if err := tx.LockUser(ctx, enr.UserID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		policy, err := h.env.Policy(ctx, tx)
		if err != nil {
			return nil, err
		}
		existing, err := tx.EnrollmentsOfUser(ctx, enr.UserID)
		if err != nil {
			return nil, err
		}
		var others []store.Enrollment
		for _, e := range existing {
			if e.ClientID == c.client.ID {
				return httpio.DevErr(protocol.ErrAlreadyEnrolled, "this user is already enrolled on this device"), nil
			}
			others = append(others, e)
		}
		if len(others) > 0 && policy != enrollpolicy.Multiple {
			// single refuses; override too (DESIGN §10): replacing an
			// enrolled device must take more than the password that got
			// this access token. The operator resets the user's devices
			// (tokenserver user reset-devices), then this enrollment is a
			// fresh one.
			desc := "this user is enrolled on another device"
			if policy == enrollpolicy.Override {
				desc += "; replacing it needs the operator to reset the user's devices first"
			}
			return httpio.DevErr(protocol.ErrEnrolledOnAnotherDevice, desc), nil
		}
		// A registration whose enrollment the operator removed (a phone
		// reported lost or stolen) does not enroll again on its PIN: the
		// user registers again with the password.
		if gone, err := removedByOperator(ctx, tx, enr.ProfileID); err != nil || gone {
			return errOperatorRemoved, err
		}
		if err := tx.DeleteSetting(ctx, disenrolledKey(enr.ProfileID)); err != nil {
			return nil, err
		}
		return nil, tx.CreateEnrollment(ctx, enr)
	})
	if de != nil {
		fail(w, de)
		return
	}
	h.env.TxCache.PutEnrollment(&txcache.Enrollment{Enrollment: enr, Pub: pub})
	h.env.AuditInfo(audit.Enrolled).Str("user_id", enr.UserID).Str("client_id", enr.ClientID).Str("profile_id", enr.ProfileID).Str("enrollment_id", enr.ID).Msg("enrolled for mobile authentication")
	httpio.WriteJSON(w, http.StatusOK, protocol.EnrollResponse{EnrollmentID: enr.ID, Certificate: enr.Certificate})
}

// removeProfile deletes a profile with its tokens, enrollments and marks.
func removeProfile(ctx context.Context, tx store.Tx, id string) error {
	if err := tx.DeleteProfile(ctx, id); err != nil {
		return err
	}
	return tx.DeleteSetting(ctx, disenrolledKey(id))
}

// errOperatorRemoved refuses enrollment and single sign-on to a registration
// whose enrollment the operator removed (reset-devices, revoke).
var errOperatorRemoved = httpio.DevErr(protocol.ErrUserDisenrolled,
	"the operator removed this device's enrollment; register again with your password")

// removedByOperator reports whether the operator removed profileID's
// enrollment (the mark ResetUserDevices and RevokeEnrollment leave; a
// registration's own deregistration removes the profile instead). Before
// session 4 such a registration re-enrolled at once with its PIN, so a phone
// stolen with its PIN came back after the reset meant to cut it off.
func removedByOperator(ctx context.Context, tx store.Tx, profileID string) (bool, error) {
	v, err := tx.GetSetting(ctx, disenrolledKey(profileID))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && v == "operator", err
}

// disenrolledKey is enrollpolicy.DisenrolledKey.
func disenrolledKey(profileID string) string { return enrollpolicy.DisenrolledKey(profileID) }
