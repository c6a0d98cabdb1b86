package server_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

func TestRefreshLogoutDeregister(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		var ui protocol.UserInfoResponse
		if err := d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, &ui); err != nil || !ui.Enrolled || ui.UserID != ts.DemoUserID || ui.ProfileID != d.ProfileID {
			t.Fatalf("userinfo %+v %v", ui, err)
		}
		// Refresh rotates: the old refresh token is spent.
		oldRefresh := d.Refresh
		var tr protocol.TokenResponse
		if err := d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantRefreshToken, RefreshToken: oldRefresh}, &tr); err != nil {
			t.Fatal(err)
		}
		if tr.AccessToken == d.Access || tr.RefreshToken == oldRefresh || tr.TokenType != "DPoP" || tr.ExpiresIn <= 0 {
			t.Fatalf("refresh answer %+v", tr)
		}
		err := d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantRefreshToken, RefreshToken: oldRefresh}, nil)
		wantErr(t, err, protocol.ErrInvalidGrant)
		// That reuse revoked the family (TestRefreshReuseRevokesFamily): a
		// PIN login starts a new one.
		if err := d.Authenticate("13579"); err != nil {
			t.Fatal(err)
		}
		tr.AccessToken, tr.RefreshToken = d.Access, d.Refresh
		// Another client cannot use this client's refresh token.
		other := ts.NewDevice()
		err = other.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantRefreshToken, RefreshToken: tr.RefreshToken}, nil)
		wantErr(t, err, protocol.ErrInvalidGrant)
		// Nor authenticate with PINs against its profile.
		other.ProfileID = d.ProfileID
		wantErr(t, other.Authenticate("13579"), protocol.ErrUserDeregistered)

		d.Access = tr.AccessToken
		if err := d.Call(http.MethodPost, protocol.PathLogout, true, nil, nil); err != nil {
			t.Fatal(err)
		}
		wantErr(t, d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil), protocol.ErrInvalidToken)
		err = d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantRefreshToken, RefreshToken: tr.RefreshToken}, nil)
		wantErr(t, err, protocol.ErrInvalidGrant)
		// After logout the PIN logs in again, and the enrollment is kept.
		if err := d.Authenticate("13579"); err != nil {
			t.Fatal(err)
		}
		_, otp := newRequest(t, ts, rp.CreateParams{})
		if _, err := d.Claim(otp); err != nil {
			t.Fatalf("claim after logout/login: %v", err)
		}
		// Deregistration removes profile, tokens and enrollment; it is idempotent.
		for i := 0; i < 2; i++ {
			if err := d.Call(http.MethodPost, protocol.PathDeregister, false, protocol.DeregisterRequest{ProfileID: d.ProfileID}, nil); err != nil {
				t.Fatalf("deregister %d: %v", i, err)
			}
		}
		wantErr(t, d.Call(http.MethodGet, protocol.PathUserInfo, true, nil, nil), protocol.ErrInvalidToken)
		wantErr(t, d.Authenticate("13579"), protocol.ErrUserDeregistered)
		_, otp = newRequest(t, ts, rp.CreateParams{})
		_, err = d.Claim(otp)
		wantErr(t, err, protocol.ErrUserDeregistered)
		var es []store.Enrollment
		_ = ts.Server.Store().View(ctx, func(tx store.Tx) error {
			es, err = tx.EnrollmentsOfUser(ctx, ts.DemoUserID)
			return err
		})
		if len(es) != 0 {
			t.Fatalf("enrollments after deregistration: %d", len(es))
		}
		// The same user registers and enrolls again on the same client (policy single).
		if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "24680"); err != nil {
			t.Fatal(err)
		}
		if err := d.Enroll(); err != nil {
			t.Fatalf("re-enroll after deregistration: %v", err)
		}
	})
}

func TestNotEnrolledAndDisabled(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := registered(t, ts, "13579")
	_, otp := newRequest(t, ts, rp.CreateParams{})
	_, err := d.Claim(otp)
	wantErr(t, err, protocol.ErrNotEnrolled)

	// A disabled API client is refused with 1000 (within the client cache time).
	if err := ts.Server.Store().InTx(ctx, func(tx store.Tx) error {
		c, err := tx.GetAPIClient(ctx, ts.APIClientID)
		if err != nil {
			return err
		}
		c.Disabled = true
		return tx.UpdateAPIClient(ctx, c)
	}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "disabled client refused", func() bool {
		_, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "hi"})
		re, ok := err.(*servertest.RPError)
		return ok && re.Status == 403 && re.Code == httpio.RPCodeDisabled
	})

	ts2 := servertest.Start(t, servertest.Options{Config: func(c *server.Config) { c.EnrollmentDisabled = true }})
	d2 := ts2.NewDevice()
	if err := d2.RegisterUser(ts2.DemoUser, ts2.DemoPassword, "13579"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, d2.Enroll(), protocol.ErrEnrollmentDisabled)
}

// Invariant 7 under concurrency: with policy single, of several devices of
// one user enrolling at once exactly one succeeds.
func TestConcurrentEnrollmentSingle(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		var devs []*servertest.Device
		for i := 0; i < 4; i++ {
			devs = append(devs, registered(t, ts, "13579"))
		}
		var ok atomic.Int32
		var wg sync.WaitGroup
		for _, d := range devs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.Enroll()
				if err == nil {
					ok.Add(1)
				} else if ae, isAE := err.(*servertest.APIError); !isAE || ae.ErrorResponse.Error != protocol.ErrEnrolledOnAnotherDevice {
					t.Errorf("losing enrollment: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("%d devices enrolled under policy single, want 1", ok.Load())
		}
	})
}
