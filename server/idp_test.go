package server_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

func apiErrCode(err error) string {
	var ae *servertest.APIError
	if errors.As(err, &ae) {
		return ae.ErrorResponse.Error
	}
	return ""
}

// Custom registration through a loopback backend that verifies every
// webhook signature itself: the code from the letter registers the user the
// backend names, with the same tokens as the browser flow (PIN grant works
// afterwards); the identity provider list names both kinds.
func TestCustomRegistration(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		b := servertest.StartLetterBackend(t, map[string]string{"K7-4411": "customer-4411"})
		ts.CreateCustomIdP(server.DemoAppID, "letter", "Code from our letter", b)
		d := ts.NewDevice()

		var list protocol.IdentityProvidersResponse
		if err := d.Call(http.MethodGet, protocol.PathIdentityProviders, false, nil, &list); err != nil {
			t.Fatal(err)
		}
		want := []protocol.IdentityProvider{{ID: "browser", Name: "Browser", Type: "browser"}, {ID: "letter", Name: "Code from our letter", Type: "custom"}}
		if len(list.IdentityProviders) != 2 || list.IdentityProviders[0] != want[0] || list.IdentityProviders[1] != want[1] {
			t.Fatalf("identity providers = %+v, want %+v", list.IdentityProviders, want)
		}

		hello := "hello"
		if err := d.CustomRegister("letter", &hello, "K7-4411", "24680"); err != nil {
			t.Fatal(err)
		}
		if d.UserID != "customer-4411" || d.ProfileID == "" || d.Access == "" {
			t.Fatalf("registered %+v", d)
		}
		if err := d.Authenticate("24680"); err != nil {
			t.Fatalf("PIN authentication after custom registration: %v", err)
		}
		if len(b.Requests) != 2 || b.Requests[0].Step != "init" || b.Requests[1].Step != "complete" ||
			b.Requests[0].RegistrationID == "" || b.Requests[0].RegistrationID != b.Requests[1].RegistrationID ||
			*b.Requests[0].Data != "hello" || b.Requests[0].ClientID != d.ClientID || b.Requests[0].ApplicationID != server.DemoAppID {
			t.Fatalf("backend saw %+v", b.Requests)
		}
		// The login page does not accept the backend-only user.
		if _, _, err := d.Login("customer-4411", "any-password"); err == nil {
			t.Fatal("backend-only user logged in through the login page")
		}

		// A wrong code: the backend refuses, registration fails, and the
		// session is spent (completing it again is expired).
		d2 := ts.NewDevice()
		if err := d2.CustomRegister("letter", nil, "WRONG", "24680"); apiErrCode(err) != protocol.ErrCustomRegFailed {
			t.Fatalf("wrong code: %v", err)
		}
		if err := d2.CustomRegister("browser", nil, "K7-4411", "24680"); apiErrCode(err) != protocol.ErrInvalidIdentityProvider {
			t.Fatalf("custom registration through the browser IdP: %v", err)
		}
		if err := d2.CustomRegister("nope", nil, "K7-4411", "24680"); apiErrCode(err) != protocol.ErrInvalidIdentityProvider {
			t.Fatalf("unknown IdP: %v", err)
		}
	})
}

// A session is single use and bound to its client.
func TestCustomRegistrationSession(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	b := servertest.StartLetterBackend(t, map[string]string{"A1": "u1"})
	ts.CreateCustomIdP(server.DemoAppID, "letter", "Letter", b)
	d, other := ts.NewDevice(), ts.NewDevice()
	_, challenge := protocol.NewPKCE()
	init := func() string {
		var ir protocol.CustomRegistrationInitResponse
		if err := d.Call(http.MethodPost, protocol.PathCustomRegistrationInit, false, protocol.CustomRegistrationInitRequest{
			IdentityProviderID: "letter", Scope: "openid", CodeChallenge: challenge}, &ir); err != nil {
			t.Fatal(err)
		}
		if ir.Status != 2000 || ir.Data != "Enter the code from our letter" || ir.Session == "" {
			t.Fatalf("init answer %+v", ir)
		}
		return ir.Session
	}
	s := init()
	if err := other.Call(http.MethodPost, protocol.PathCustomRegistrationComplete, false, protocol.CustomRegistrationCompleteRequest{Session: s, Data: "A1"}, nil); apiErrCode(err) != protocol.ErrCustomRegExpired {
		t.Fatalf("another client's session: %v", err)
	}
	s = init()
	var cr protocol.CustomRegistrationCompleteResponse
	if err := d.Call(http.MethodPost, protocol.PathCustomRegistrationComplete, false, protocol.CustomRegistrationCompleteRequest{Session: s, Data: "A1"}, &cr); err != nil || cr.Code == "" {
		t.Fatalf("complete: %v %+v", err, cr)
	}
	if err := d.Call(http.MethodPost, protocol.PathCustomRegistrationComplete, false, protocol.CustomRegistrationCompleteRequest{Session: s, Data: "A1"}, nil); apiErrCode(err) != protocol.ErrCustomRegExpired {
		t.Fatalf("session used twice: %v", err)
	}
}

// The backend's answer is trusted only when signed with the IdP's key, fresh
// and bound to the request it answers: an unsigned, forged, stale or
// replayed answer fails the registration, whatever it says.
func TestCustomRegistrationBackendAnswerSigned(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		b := servertest.StartLetterBackend(t, map[string]string{"A1": "u1"})
		ts.CreateCustomIdP(server.DemoAppID, "letter", "Letter", b)
		// A signed answer first: the one "replay" sends again.
		if err := ts.NewDevice().CustomRegister("letter", nil, "A1", "24680"); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []string{"replay", "unsigned", "forged", "stale"} {
			b.SetMode(mode)
			d := ts.NewDevice()
			if err := d.CustomRegister("letter", nil, "A1", "24680"); apiErrCode(err) != protocol.ErrCustomRegFailed {
				t.Errorf("%s answer: registration %v, want %s", mode, err, protocol.ErrCustomRegFailed)
			}
		}
		// The server's requests were all signed correctly and never repeated.
		if b.Rejected != 0 {
			t.Fatalf("backend rejected %d of the server's requests", b.Rejected)
		}
	})
}

// An identity provider of another application is not usable: neither
// listed nor accepted at init.
func TestCustomRegistrationOtherApplication(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	adm := ts.Server.Admin()
	if err := adm.CreateApplication(ctx, server.ApplicationSpec{ID: "other", Name: "Other", RedirectURIs: []string{"other://cb"}}); err != nil {
		t.Fatal(err)
	}
	b := servertest.StartLetterBackend(t, map[string]string{"A1": "u1"})
	ts.CreateCustomIdP("other", "letter", "Other's letter", b)
	d := ts.NewDevice() // the demo application
	var list protocol.IdentityProvidersResponse
	if err := d.Call(http.MethodGet, protocol.PathIdentityProviders, false, nil, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.IdentityProviders) != 1 || list.IdentityProviders[0].ID != "browser" {
		t.Fatalf("listed %+v", list.IdentityProviders)
	}
	if err := d.CustomRegister("letter", nil, "A1", "24680"); apiErrCode(err) != protocol.ErrInvalidIdentityProvider {
		t.Fatalf("other application's IdP: %v", err)
	}
	if len(b.Requests) != 0 {
		t.Fatalf("the other application's backend was called: %+v", b.Requests)
	}
}
