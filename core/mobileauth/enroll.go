package mobileauth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// BuildCSR returns a PKCS#10 CSR (DER) for profileID signed by signer (the
// proof of possession of the new enrollment key).
func BuildCSR(signer *keys.Signer, profileID string) ([]byte, error) {
	return x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:            pkix.Name{CommonName: profileID},
		SignatureAlgorithm: x509.ECDSAWithSHA256,
	}, signer)
}

// enroll enrolls the authenticated user's profile on this device: 8012 without
// an authenticated user, 9016 when already enrolled here, 9007 while another
// enrollment runs; server refusals map through the protocol vocabulary (9017,
// 9018, ...).
func (m *MobileAuth) enroll(ctx context.Context, _ api.None) (api.None, error) {
	none := api.None{}
	if err := m.c.Started(); err != nil {
		return none, err
	}
	pid, err := m.u.AuthenticatedProfile()
	if err != nil {
		return none, err
	}
	if !m.enrMu.TryLock() {
		return none, dispatch.Errorf(dispatch.CodeActionInProgress, "an enrollment is already in progress")
	}
	defer m.enrMu.Unlock()
	p, err := m.st.Profile(pid)
	if err != nil {
		return none, dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
	}
	if p == nil {
		return none, dispatch.Errorf(dispatch.CodeProfileNotFound, "the profile does not exist on this device")
	}
	if p.Enrollment != nil {
		return none, dispatch.Errorf(dispatch.CodeDeviceAlreadyEnrolled, "this device is already enrolled for mobile authentication")
	}
	alias := keys.MobileAuthAlias(pid)
	signer, err := keys.Generate(m.c.Keys(), alias)
	if err != nil {
		return none, dispatch.Wrap(dispatch.CodeInternal, err, "creating the enrollment key failed")
	}
	var enr *store.Enrollment
	err = m.u.WithToken(ctx, func(tokPid, tok string) error {
		if tokPid != pid {
			return dispatch.Errorf(dispatch.CodeNotAuthenticated, "the authenticated user changed during enrollment")
		}
		var err error
		enr, err = m.requestCertificate(ctx, signer, pid, tok)
		return err
	})
	if err != nil {
		_ = signer.Delete()
		return none, err
	}
	ok, err := m.st.UpdateProfile(pid, func(p *store.Profile) { p.Enrollment = enr })
	if err != nil || !ok {
		_ = signer.Delete()
		return none, dispatch.Errorf(dispatch.CodeInternal, "storing the enrollment failed")
	}
	return none, nil
}

func (m *MobileAuth) requestCertificate(ctx context.Context, signer *keys.Signer, pid, tok string) (*store.Enrollment, error) {
	csr, err := BuildCSR(signer, pid)
	if err != nil {
		return nil, dispatch.Wrap(dispatch.CodeInternal, err, "creating the certificate request failed")
	}
	var resp protocol.EnrollResponse
	if err := m.c.Call(ctx, "POST", protocol.PathEnroll, protocol.EnrollRequest{CSR: protocol.B64.EncodeToString(csr)}, tok, &resp); err != nil {
		return nil, err
	}
	der, err := protocol.B64.DecodeString(resp.Certificate)
	if err != nil {
		return nil, dispatch.Errorf(dispatch.CodeGeneral, "the server's certificate is not base64url")
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, dispatch.Errorf(dispatch.CodeGeneral, "the server's certificate cannot be parsed")
	}
	want, _ := x509.MarshalPKIXPublicKey(signer.ECDSAPublic())
	if !bytes.Equal(cert.RawSubjectPublicKeyInfo, want) {
		return nil, dispatch.Errorf(dispatch.CodeGeneral, "the server's certificate is not for the enrollment key")
	}
	return &store.Enrollment{ID: resp.EnrollmentID, Certificate: resp.Certificate, KeyAlias: signer.Alias(), EnrolledAt: m.c.Now().Unix()}, nil
}
