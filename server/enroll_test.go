package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"net/http"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

func registered(t *testing.T, ts *servertest.TestServer, pin string) *servertest.Device {
	t.Helper()
	d := ts.NewDevice()
	if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, pin); err != nil {
		t.Fatal(err)
	}
	return d
}

// Invariant 7: enrollment on a second device follows the policy.
func TestReenrollmentPolicies(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		a := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		// Same device again.
		wantErr(t, a.Enroll(), protocol.ErrAlreadyEnrolled)

		// single: refused.
		ts.SetPolicy("single")
		b := registered(t, ts, "24680")
		wantErr(t, b.Enroll(), protocol.ErrEnrolledOnAnotherDevice)

		// multiple: both keep working.
		ts.SetPolicy("multiple")
		if err := b.Enroll(); err != nil {
			t.Fatalf("multiple: %v", err)
		}
		for _, d := range []*servertest.Device{a, b} {
			_, otp := newRequest(t, ts, rp.CreateParams{})
			if _, err := d.Claim(otp); err != nil {
				t.Fatalf("multiple: claim: %v", err)
			}
		}

		// override (DESIGN §10): the password alone does not replace an
		// enrolled device. A new device with a fresh login (the attacker who
		// phished the password) is refused, and the enrolled devices keep
		// working.
		ts.SetPolicy("override")
		c := registered(t, ts, "97531")
		wantErr(t, c.Enroll(), protocol.ErrEnrolledOnAnotherDevice)
		for _, d := range []*servertest.Device{a, b} {
			_, otp := newRequest(t, ts, rp.CreateParams{})
			if _, err := d.Claim(otp); err != nil {
				t.Fatalf("override: enrolled device after a refused takeover: %v", err)
			}
		}
		// The operator resets the user's devices: they learn it
		// (user_disenrolled), and the next enrollment is a fresh one.
		if n, err := ts.Server.Admin().ResetUserDevices(t.Context(), ts.DemoUserID); err != nil || n != 2 {
			t.Fatalf("reset devices: %d %v", n, err)
		}
		_, otp := newRequest(t, ts, rp.CreateParams{})
		for _, d := range []*servertest.Device{a, b} {
			_, err := d.Claim(otp)
			wantErr(t, err, protocol.ErrUserDisenrolled)
		}
		var ui protocol.UserInfoResponse
		if err := a.Call(http.MethodGet, protocol.PathUserInfo, true, nil, &ui); err != nil || ui.Enrolled {
			t.Fatalf("override: old device userinfo %+v %v", ui, err)
		}
		if err := c.Enroll(); err != nil {
			t.Fatalf("override: enrolling after the operator's reset: %v", err)
		}
		if _, err := c.Claim(otp); err != nil {
			t.Fatalf("override: new device claim: %v", err)
		}
		// The old device cannot take the user back with its session alone.
		wantErr(t, a.Enroll(), protocol.ErrEnrolledOnAnotherDevice)
	})
}

// Invariant 1: enrollment needs a P-256 CSR signed by its key; the
// certificate certifies that key and chains to the server's CA.
func TestEnrollmentCSR(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := registered(t, ts, "13579")
	call := func(csr string) error {
		return d.Call(http.MethodPost, protocol.PathEnroll, true, protocol.EnrollRequest{CSR: csr}, nil)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	wantErr(t, call(servertest.NewCSR(p384)), protocol.ErrInvalidRequest)
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := protocol.B64.DecodeString(servertest.NewCSR(k))
	der[len(der)-3] ^= 0x55 // break the signature (proof of possession)
	wantErr(t, call(protocol.B64.EncodeToString(der)), protocol.ErrInvalidRequest)
	wantErr(t, call("not base64!"), protocol.ErrInvalidRequest)
	wantErr(t, call(protocol.B64.EncodeToString([]byte("not a csr"))), protocol.ErrInvalidRequest)
	// Enrollment needs the access token.
	err := d.Call(http.MethodPost, protocol.PathEnroll, false, protocol.EnrollRequest{CSR: servertest.NewCSR(k)}, nil)
	wantErr(t, err, protocol.ErrInvalidToken)

	if err := d.Enroll(); err != nil {
		t.Fatal(err)
	}
	pub, ok := d.Certificate.PublicKey.(*ecdsa.PublicKey)
	if !ok || !pub.Equal(&d.EnrollKey.PublicKey) {
		t.Fatal("certificate does not certify the enrollment key")
	}
	if d.Certificate.Subject.CommonName != d.Enrollment {
		t.Fatalf("certificate subject %q", d.Certificate.Subject.CommonName)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ts.Server.CACertificate())
	if _, err := d.Certificate.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Fatalf("certificate does not chain to the server CA: %v", err)
	}
}
