package sdk_test

import (
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"net"
	"net/url"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := l.Addr().String()
	l.Close()
	return a
}

func TestCallsBeforeStartClientAre8020(t *testing.T) {
	p := newDevice(t)
	params := map[string]map[string]any{
		api.MethodRegisterUser:                                 {"identityProviderId": nil, "scopes": []string{}},
		api.MethodHandleRegistrationCallback:                   {"uri": "oma-app://registration/callback?code=x"},
		api.MethodCancelBrowserRegistration:                    {},
		api.MethodSubmitPin:                                    {"flow": "Create", "pin": "13579"},
		api.MethodCancelPinCreation:                            {},
		api.MethodCancelPinAuthentication:                      {},
		api.MethodAuthenticateUser:                             {"profileId": "p", "authenticatorId": nil},
		api.MethodLogout:                                       {},
		api.MethodDeregisterUser:                               {"profileId": "p"},
		api.MethodGetUserProfiles:                              {},
		api.MethodGetAuthenticatedUserProfile:                  {},
		api.MethodEnrollMobileAuthentication:                   {},
		api.MethodIsUserEnrolledForMobileAuth:                  {"profileId": "p"},
		api.MethodHandleMobileAuthWithOtp:                      {"otp": protocol.NewOTP()},
		api.MethodAcceptMobileAuthConfirmation:                 {},
		api.MethodDenyMobileAuthConfirmation:                   {},
		api.MethodGetAccessToken:                               {},
		api.MethodResourceRequest:                              {"method": "GET", "path": "/device/v1/userinfo"},
		api.MethodGetRedirectURI:                               {},
		api.MethodGetResourceBaseURL:                           {},
		api.MethodAuthenticateUserImplicitly:                   {"profileId": "p", "scopes": []string{"read"}},
		api.MethodAuthenticateDeviceForResource:                {"scopes": []string{"read"}},
		api.MethodGetImplicitlyAuthenticatedUserProfile:        {},
		api.MethodEnrollUserForMobileAuthWithPush:              {"provider": "fcm", "pushToken": "fcm-token-123"},
		api.MethodIsUserEnrolledForMobileAuthWithPush:          {"profileId": "p"},
		api.MethodCanHandlePushMessage:                         {"data": map[string]any{"og_transaction_id": "t", "og_profile_id": "p"}},
		api.MethodHandleMobileAuthWithPushRequest:              {"data": map[string]any{"og_transaction_id": "t", "og_profile_id": "p"}},
		api.MethodGetPendingMobileAuthWithPushRequests:         {},
		api.MethodHandlePendingMobileAuthWithPushRequest:       {"request": map[string]any{"transactionId": "t", "userProfile": map[string]any{"id": "p"}}},
		api.MethodGetAllAuthenticators:                         {"profileId": "p"},
		api.MethodGetRegisteredAuthenticators:                  {"profileId": "p"},
		api.MethodRegisterAuthenticator:                        {"authenticatorId": "fingerprint"},
		api.MethodDeregisterAuthenticator:                      {"authenticatorId": "fingerprint"},
		api.MethodSetPreferredAuthenticator:                    {"authenticatorId": "PIN"},
		api.MethodRegisterFingerprintAuthenticator:             {"profileId": "p"},
		api.MethodDeregisterFingerprintAuthenticator:           {"profileId": "p"},
		api.MethodSubmitFingerprintAcceptAuthenticationRequest: {},
		api.MethodSubmitFingerprintDenyAuthenticationRequest:   {},
		api.MethodSubmitFingerprintFallbackToPin:               {},
		api.MethodChangePin:                                    {},
		api.MethodValidatePinWithPolicy:                        {"pin": "13579"},
		api.MethodGetIdentityProviders:                         {},
		api.MethodSubmitCustomRegistrationAction:               {"identityProviderId": "letter", "token": "code"},
		api.MethodCancelCustomRegistration:                     {"message": "not now"},
		api.MethodStartSingleSignOn:                            {"url": "https://bank.example/dashboard"},
	}
	for _, m := range api.MethodNames() {
		if m == api.MethodStartClient || m == api.MethodPing || m == api.MethodGetVersion {
			continue
		}
		ps, ok := params[m]
		if !ok {
			t.Fatalf("no params for %s", m)
		}
		if got := p.errCode(m, ps); got != dispatch.CodeNotStarted {
			t.Errorf("%s before startClient: want 8020, got %d", m, got)
		}
	}
}

func TestStartClientConfigurationAndNetworkErrors(t *testing.T) {
	p := newDevice(t)
	p.expectCode(dispatch.CodeConfiguration, api.MethodStartClient, map[string]any{"serverUrl": "http://auth.example.org"})
	p.expectCode(dispatch.CodeConfiguration, api.MethodStartClient, map[string]any{"serverUrl": "not a url"})
	p.expectCode(dispatch.CodeBadParameters, api.MethodStartClient, map[string]any{"serverUrl": 7})
	p.expectCode(dispatch.CodeServerNotReachable, api.MethodStartClient, map[string]any{"serverUrl": "http://" + closedAddr(t)})
	// Plain HTTP to a non-loopback host is accepted when explicitly allowed (and
	// then fails only because nothing answers there).
	p.expectCode(dispatch.CodeServerNotReachable, api.MethodStartClient, map[string]any{"serverUrl": "http://unresolvable.invalid", "allowInsecureHttp": true})
}

// storedDevice is a device whose storage already holds a client registration
// (as after an earlier startClient), so startClient resumes without a server.
func storedDevice(t *testing.T, serverURL string) *phone {
	st := device.NewMemStorage()
	ks := device.NewSoftKeyStore(st)
	if _, err := keys.Generate(ks, keys.AliasClient); err != nil {
		t.Fatal(err)
	}
	if err := store.New(st).SetClient(store.Client{ServerURL: serverURL, ClientID: "c1", PinLength: 5,
		AppID: "oma-app", AppVersion: "1", RedirectURI: "oma-app://registration/callback", KeyAlias: keys.AliasClient}); err != nil {
		t.Fatal(err)
	}
	p := newPhone(t, st, ks)
	p.do(api.MethodStartClient, map[string]any{"serverUrl": serverURL})
	p.url = serverURL
	return p
}

func TestLocalRefusalsAfterStart(t *testing.T) {
	srv := "http://" + closedAddr(t)
	p := storedDevice(t, srv)
	if got := p.do(api.MethodGetRedirectURI, nil).Str; got != "oma-app://registration/callback" {
		t.Errorf("getRedirectUri: %q", got)
	}
	p.expectCode(dispatch.CodeNotHandleable, api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": "not-an-otp"})
	p.expectCode(dispatch.CodeBadParameters, api.MethodHandleMobileAuthWithOtp, map[string]any{})
	p.expectCode(dispatch.CodeNotEnrolled, api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": protocol.NewOTP()})
	p.expectCode(dispatch.CodeNoMobileAuthInProgress, api.MethodAcceptMobileAuthConfirmation, nil)
	p.expectCode(dispatch.CodeNoMobileAuthInProgress, api.MethodDenyMobileAuthConfirmation, nil)
	p.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodEnrollMobileAuthentication, nil)
	p.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodGetAuthenticatedUserProfile, nil)
	p.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodGetAccessToken, nil)
	p.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodLogout, nil)
	p.expectCode(dispatch.CodeNoFlowInProgress, api.MethodSubmitPin, map[string]any{"flow": "Create", "pin": "13579"})
	p.expectCode(dispatch.CodeBadParameters, api.MethodSubmitPin, map[string]any{"flow": "Other", "pin": "13579"})
	p.expectCode(dispatch.CodeNoFlowInProgress, api.MethodCancelBrowserRegistration, nil)
	p.expectCode(dispatch.CodeNoFlowInProgress, api.MethodCancelPinCreation, nil)
	p.expectCode(dispatch.CodeProfileNotFound, api.MethodAuthenticateUser, map[string]any{"profileId": "nobody", "authenticatorId": nil})
	p.expectCode(dispatch.CodeProfileNotFound, api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": "nobody"})
	p.expectCode(dispatch.CodeProfileNotFound, api.MethodDeregisterUser, map[string]any{"profileId": "nobody"})
	if n := len(p.do(api.MethodGetUserProfiles, nil).Array()); n != 0 {
		t.Fatalf("profiles on a fresh device: %d", n)
	}
}

// TestRegistrationFlowStateMachine runs the browser part of registration
// without a server: the URL event, 9007 for a second registration, 8009 for a
// callback of another registration, and cancel → 9006.
func TestRegistrationFlowStateMachine(t *testing.T) {
	srv := "http://" + closedAddr(t)
	p := storedDevice(t, srv)
	reg := p.call(api.MethodRegisterUser, map[string]any{"identityProviderId": nil, "scopes": []string{"openid"}})
	ev := p.event(api.EventRegistration, "")
	u, err := url.Parse(ev.Get("url").Str)
	if err != nil || u.Path != protocol.PathAuthorize {
		t.Fatalf("registration URL %q", ev.Get("url").Str)
	}
	q := u.Query()
	if q.Get("client_id") != "c1" || q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("redirect_uri") != "oma-app://registration/callback" {
		t.Fatalf("registration URL query %v", q)
	}
	p.expectCode(dispatch.CodeActionInProgress, api.MethodRegisterUser, map[string]any{"identityProviderId": nil})
	p.expectCode(dispatch.CodeBadParameters, api.MethodHandleRegistrationCallback, map[string]any{"uri": "oma-app://registration/callback?code=x&state=other"})
	p.expectCode(dispatch.CodeBadParameters, api.MethodHandleRegistrationCallback, map[string]any{"uri": "https://evil.example/cb?code=x&state=" + q.Get("state")})
	p.expectCode(dispatch.CodeNoFlowInProgress, api.MethodSubmitPin, map[string]any{"flow": "Create", "pin": "13579"})
	p.do(api.MethodCancelBrowserRegistration, nil)
	if c := reg.code(); c != dispatch.CodeCancelled {
		t.Fatalf("cancelled registration: want 9006, got %d", c)
	}
	// The slot is free again; a new registration starts, and the user denying
	// the login in the browser ends it with 9006 too.
	reg = p.call(api.MethodRegisterUser, map[string]any{"identityProviderId": nil})
	state := mustQuery(t, p.event(api.EventRegistration, "").Get("url").Str, "state")
	p.do(api.MethodHandleRegistrationCallback, map[string]any{"uri": "oma-app://registration/callback?error=access_denied&state=" + state})
	if c := reg.code(); c != dispatch.CodeCancelled {
		t.Fatalf("denied login: want 9006, got %d", c)
	}
	// A callback accepted by the flow leads to PIN creation; a policy failure
	// is an event and the flow keeps waiting; the token exchange then fails
	// with 9001 because no server listens.
	reg = p.call(api.MethodRegisterUser, map[string]any{"identityProviderId": nil})
	state = mustQuery(t, p.event(api.EventRegistration, "").Get("url").Str, "state")
	p.do(api.MethodHandleRegistrationCallback, map[string]any{"uri": "oma-app://registration/callback?code=abc&state=" + state})
	open := p.event(api.EventPinCreate, api.ActionOpen)
	if open.Get("pinLength").Int() != 5 || open.Get("flow").Str != api.FlowCreate {
		t.Fatalf("pin create open %s", open.Raw)
	}
	for _, bad := range []string{"11111", "12345", "1234", "abcde"} {
		p.do(api.MethodSubmitPin, map[string]any{"flow": "Create", "pin": bad})
		na := p.event(api.EventPinCreate, api.ActionPinNotAllowed)
		if na.Get("errorCode").Int() != int64(pinpolicy.Check(bad, 5).Code()) || na.Get("errorMsg").Str == "" {
			t.Fatalf("pinNotAllowed %s", na.Raw)
		}
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": "Create", "pin": "13579"})
	p.event(api.EventPinCreate, api.ActionClose)
	if c := reg.code(); c != dispatch.CodeServerNotReachable {
		t.Fatalf("token exchange without server: want 9001, got %d", c)
	}
}

func mustQuery(t *testing.T, raw, key string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get(key)
}

// TestEveryAPIMethodIsRegistered: the core answers every method of the JS API.
func TestEveryAPIMethodIsRegistered(t *testing.T) {
	p := newDevice(t)
	have := map[string]bool{}
	for _, m := range p.core.Dispatcher().Methods() {
		have[m] = true
	}
	for _, m := range api.MethodNames() {
		if !have[m] {
			t.Errorf("method %s is not registered", m)
		}
	}
}
