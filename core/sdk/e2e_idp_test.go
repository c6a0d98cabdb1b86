package sdk_test

import (
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

// Both kinds of identity provider through the dispatcher against a real
// server: getIdentityProviders lists the browser one and the custom one; a
// custom registration runs initRegistration → submit(null) →
// finishRegistration with the backend's customInfo → submit(letter code) →
// PIN creation, and resolves with the backend's customInfo; the profile then
// authenticates with its PIN. A wrong code rejects with 10022, a cancel with
// 9006, an unknown identity provider with 10020; the browser one registers
// as before.
func TestIdentityProvidersThroughDispatcher(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	b := servertest.StartLetterBackend(t, map[string]string{"K7-4411": "customer-4411"})
	ts.CreateCustomIdP(server.DemoAppID, "letter", "Code from our letter", b)
	p, _ := newFileDevice(t)
	start(p, ts)

	list := p.do(api.MethodGetIdentityProviders, nil)
	if list.Raw != `[{"id":"browser","name":"Browser"},{"id":"letter","name":"Code from our letter"}]` {
		t.Fatalf("getIdentityProviders = %s", list.Raw)
	}

	custom := func(code string) *pendingCall {
		reg := p.call(api.MethodRegisterUser, map[string]any{"identityProviderId": "letter", "scopes": []string{"openid"}})
		if e := p.event(api.EventCustomRegistration, api.ActionInitRegistration); e.Get("identityProviderId").Str != "letter" || e.Get("customInfo").Exists() {
			t.Fatalf("initRegistration %s", e.Raw)
		}
		p.do(api.MethodSubmitCustomRegistrationAction, map[string]any{"identityProviderId": "letter", "token": nil})
		fin := p.event(api.EventCustomRegistration, api.ActionFinishRegistration)
		if fin.Get("identityProviderId").Str != "letter" || fin.Get("customInfo.status").Int() != 2000 || fin.Get("customInfo.data").Str != "Enter the code from our letter" {
			t.Fatalf("finishRegistration %s", fin.Raw)
		}
		if code == "" {
			p.do(api.MethodCancelCustomRegistration, map[string]any{"message": "user closed the screen"})
			return reg
		}
		p.do(api.MethodSubmitCustomRegistrationAction, map[string]any{"identityProviderId": "letter", "token": code})
		return reg
	}

	reg := custom("K7-4411")
	p.event(api.EventPinCreate, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": goodPin})
	p.event(api.EventPinCreate, api.ActionClose)
	res := reg.ok()
	id := res.Get("userProfile.id").Str
	if id == "" || res.Get("customInfo.status").Int() != 2000 || res.Get("customInfo.data").Str != "Welcome" {
		t.Fatalf("registerUser = %s", res.Raw)
	}
	if b.Requests[0].Data != nil || *b.Requests[1].Data != "K7-4411" {
		t.Fatalf("backend saw init data %v, complete data %v", b.Requests[0].Data, b.Requests[1].Data)
	}
	authenticate(p, id, goodPin)

	if c := custom("WRONG").code(); c != dispatch.CodeCustomRegistrationFailure {
		t.Fatalf("wrong letter code: %d, want 10022", c)
	}
	if c := custom("").code(); c != dispatch.CodeCancelled {
		t.Fatalf("cancelled: %d, want 9006", c)
	}
	p.expectCode(dispatch.CodeInvalidIdentityProvider, api.MethodRegisterUser, map[string]any{"identityProviderId": "nope"})
	p.expectCode(dispatch.CodeNoFlowInProgress, api.MethodSubmitCustomRegistrationAction, map[string]any{"identityProviderId": "letter", "token": "x"})

	// The browser identity provider by id: the login page as before.
	reg = p.call(api.MethodRegisterUser, map[string]any{"identityProviderId": "browser"})
	loc := browserLogin(t, p.event(api.EventRegistration, "").Get("url").Str, ts.DemoUser, ts.DemoPassword)
	p.do(api.MethodHandleRegistrationCallback, map[string]any{"uri": loc})
	p.event(api.EventPinCreate, api.ActionOpen)
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": goodPin})
	if r := reg.ok(); r.Get("userProfile.id").Str == "" || r.Get("customInfo").Exists() {
		t.Fatalf("browser registerUser = %s", r.Raw)
	}
}
