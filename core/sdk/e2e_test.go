package sdk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/tidwall/gjson"
)

// The end-to-end tests drive the core only through the dispatcher envelope
// (the path JavaScript uses) against a real Token Server on loopback with a
// real SQLite store.

const (
	goodPin  = "24680"
	otherPin = "97531"
)

// fileDevice is a phone whose storage and (software) keys live in dir, so it
// can be restarted or cloned like a real device's data.
func fileDevice(t *testing.T, dir string) *phone {
	t.Helper()
	fs, err := device.NewFileStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	return newPhone(t, fs, device.NewSoftKeyStore(fs))
}

func newFileDevice(t *testing.T) (*phone, string) {
	dir := filepath.Join(t.TempDir(), "device")
	return fileDevice(t, dir), dir
}

// cloneDir copies a device's data directory (a backup of the phone).
func cloneDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "clone")
	if err := os.MkdirAll(dst, 0o700); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func start(p *phone, ts *servertest.TestServer) {
	p.t.Helper()
	p.do(api.MethodStartClient, map[string]any{"serverUrl": ts.URL})
	p.url = ts.URL
}

// register runs registerUser end to end (browser login with an HTTP client,
// callback, PIN create with one refused PIN first) and returns the profile id.
func register(p *phone, username, password string) string {
	p.t.Helper()
	reg := p.call(api.MethodRegisterUser, map[string]any{"identityProviderId": nil, "scopes": []string{"openid"}})
	loginURL := p.event(api.EventRegistration, "").Get("url").Str
	loc := browserLogin(p.t, loginURL, username, password)
	p.do(api.MethodHandleRegistrationCallback, map[string]any{"uri": loc})
	open := p.event(api.EventPinCreate, api.ActionOpen)
	n := int(open.Get("pinLength").Int())
	if n != len(goodPin) {
		p.t.Fatalf("server PIN length %d; the tests assume %d", n, len(goodPin))
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": strings.Repeat("7", n)})
	if na := p.event(api.EventPinCreate, api.ActionPinNotAllowed); na.Get("errorCode").Int() != int64(dispatch.CodePinSimilarDigits) {
		p.t.Fatalf("pinNotAllowed %s", na.Raw)
	}
	p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": goodPin})
	p.event(api.EventPinCreate, api.ActionClose)
	id := reg.ok().Get("userProfile.id").Str
	if id == "" {
		p.t.Fatal("registerUser returned no profile id")
	}
	return id
}

// authenticate runs authenticateUser with pins submitted in order; every PIN
// but the last must be wrong. It returns the remaining counts seen.
func authenticate(p *phone, profileID string, pins ...string) []int64 {
	p.t.Helper()
	c := p.call(api.MethodAuthenticateUser, map[string]any{"profileId": profileID, "authenticatorId": nil})
	if o := p.event(api.EventPinAuthentication, api.ActionOpen); o.Get("profileId").Str != profileID {
		p.t.Fatalf("pin auth open %s", o.Raw)
	}
	var remaining []int64
	for i, pin := range pins {
		p.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": pin})
		if i < len(pins)-1 {
			ip := p.event(api.EventPinAuthentication, api.ActionIncorrectPin)
			remaining = append(remaining, ip.Get("remainingFailureCount").Int())
		}
	}
	p.event(api.EventPinAuthentication, api.ActionClose)
	if got := c.ok().Get("userProfile.id").Str; got != profileID {
		p.t.Fatalf("authenticated %q, want %q", got, profileID)
	}
	return remaining
}

func createOTP(t testing.TB, ts *servertest.TestServer, message, userID string) (string, string) {
	t.Helper()
	tx, otp, err := ts.CreateAuthRequest(context.Background(), rp.CreateParams{Message: message, UserID: userID})
	if err != nil {
		t.Fatal(err)
	}
	return tx, otp
}

func transaction(t testing.TB, ts *servertest.TestServer, txID string) rp.Transaction {
	t.Helper()
	tr, err := ts.Transaction(context.Background(), txID)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// answerOTP handles otp and answers with decision ("accept" or "deny"); it
// returns the startAuthentication request and the handle call's code.
func answerOTP(p *phone, otp, decision string) (gjson.Result, dispatch.Code) {
	p.t.Helper()
	h := p.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp})
	var req gjson.Result
	deadline := time.Now().Add(waitLimit)
	for {
		if ev, ok := p.tryEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication); ok {
			req = ev.Get("mobileAuthenticationRequest")
			break
		}
		select {
		case r := <-h.ch:
			p.t.Fatalf("handleMobileAuthWithOtp settled before startAuthentication: %s", r.Raw)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no startAuthentication within %s", waitLimit)
		}
	}
	m := api.MethodAcceptMobileAuthConfirmation
	if decision == protocol.DecisionDeny {
		m = api.MethodDenyMobileAuthConfirmation
	}
	p.do(m, nil)
	code := h.code()
	p.event(api.EventMobileAuthOtp, api.ActionFinishAuthentication)
	return req, code
}

func TestE2EJourneyWithRestarts(t *testing.T) {
	journey(t, servertest.Start(t, servertest.Options{}))
}

// TestE2EJourneyPostgres runs the same journey with the server on PostgreSQL
// when the test environment provides one (OMA_TEST_POSTGRES_URL, see
// scripts/pg.sh).
func TestE2EJourneyPostgres(t *testing.T) {
	u, ok := servertest.PostgresStoreURL(t)
	if !ok {
		t.Skip("OMA_TEST_POSTGRES_URL not set: the PostgreSQL variant runs under scripts/pg.sh")
	}
	journey(t, servertest.Start(t, servertest.Options{StoreURL: u}))
}

func journey(t *testing.T, ts *servertest.TestServer) {
	ctx := context.Background()
	a, dir := newFileDevice(t)
	start(a, ts)
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	if got := a.do(api.MethodGetAuthenticatedUserProfile, nil).Get("id").Str; got != pid {
		t.Fatalf("authenticated profile %q, want %q", got, pid)
	}
	if tok := a.do(api.MethodGetAccessToken, nil).Str; tok == "" {
		t.Fatal("no access token after registration")
	}
	res := a.do(api.MethodResourceRequest, map[string]any{"method": "GET", "path": protocol.PathUserInfo})
	if res.Get("status").Int() != 200 || gjson.Get(res.Get("body").Str, "profile_id").Str != pid {
		t.Fatalf("resourceRequest userinfo: %s", res.Raw)
	}
	a.do(api.MethodLogout, nil)
	a.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodGetAuthenticatedUserProfile, nil)
	a.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodEnrollMobileAuthentication, nil)

	// Restart: the registration and the profile come back from storage.
	a = a.restart()
	a.expectCode(dispatch.CodeNotStarted, api.MethodGetUserProfiles, nil)
	ts.ResetCounters()
	start(a, ts)
	if n := ts.DeviceRoundTrips(); n != 0 {
		t.Fatalf("startClient with a stored registration made %d device requests", n)
	}
	if ps := a.do(api.MethodGetUserProfiles, nil).Array(); len(ps) != 1 || ps[0].Get("id").Str != pid {
		t.Fatalf("profiles after restart: %v", ps)
	}
	if rem := authenticate(a, pid, otherPin, goodPin); len(rem) != 1 || rem[0] != 2 {
		t.Fatalf("remaining failure counts %v, want [2]", rem)
	}
	a.do(api.MethodEnrollMobileAuthentication, nil)
	if !a.do(api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": pid}).Bool() {
		t.Fatal("not enrolled after enrollMobileAuthentication")
	}
	a.expectCode(dispatch.CodeDeviceAlreadyEnrolled, api.MethodEnrollMobileAuthentication, nil)

	// Restart again; the enrollment survives and answers an OTP with exactly
	// two device round trips, showing the exact message the relying party sent.
	a = a.restart()
	start(a, ts)
	// The session (tokens) is stored too: the user is still authenticated.
	if got := a.do(api.MethodGetAuthenticatedUserProfile, nil).Get("id").Str; got != pid {
		t.Fatalf("authenticated profile after restart %q, want %q", got, pid)
	}
	if a.do(api.MethodResourceRequest, map[string]any{"path": protocol.PathUserInfo}).Get("status").Int() != 200 {
		t.Fatal("stored access token refused after restart")
	}
	txID, otp, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "Log in to Example Bank", IPAddress: "203.0.113.7",
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"})
	if err != nil {
		t.Fatal(err)
	}
	ts.ResetCounters()
	req, code := answerOTP(a, otp, protocol.DecisionAccept)
	if code != 0 {
		t.Fatalf("accepted OTP: code %d", code)
	}
	if n := ts.DeviceRoundTrips(); n != 2 {
		t.Fatalf("OTP flow took %d device round trips, want exactly 2", n)
	}
	// The message is the relying party's, with the browser and address folded
	// in by the server; the accepted answer proves the device signed over it.
	if msg := req.Get("message").Str; !strings.Contains(msg, "Log in to Example Bank") || !strings.Contains(msg, "203.0.113.7") {
		t.Fatalf("shown message %q", msg)
	}
	if req.Get("transactionId").Str == "" ||
		req.Get("userProfile.id").Str != pid || req.Get("type").Str != ts.OTPType {
		t.Fatalf("startAuthentication request %s", req.Raw)
	}
	tr := transaction(t, ts, txID)
	if !tr.IsAuthenticated || tr.UserID != ts.DemoUserID || tr.Status != "accepted" {
		t.Fatalf("transaction after accept: %+v", tr)
	}

	// Deny: the handle call rejects 9006 and the relying party sees not_accepted.
	txID, otp = createOTP(t, ts, "Pay 10 EUR", ts.DemoUserID)
	if _, code := answerOTP(a, otp, protocol.DecisionDeny); code != dispatch.CodeCancelled {
		t.Fatalf("denied OTP: want 9006, got %d", code)
	}
	tr = transaction(t, ts, txID)
	if tr.IsAuthenticated || tr.NotAuthenticatedReason.Reason != "not_accepted" {
		t.Fatalf("transaction after deny: %+v", tr)
	}

	// The same OTP handled twice: refused, mapped through the protocol vocabulary.
	e := a.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp}).wait().Get("error")
	code = dispatch.Code(e.Get("code").Int())
	if (code != dispatch.CodeAlreadyHandled && code != dispatch.CodeRequestNotFound) || client.SDKCode(e.Get("data.serverError").Str) != code {
		t.Fatalf("OTP handled twice: %s", e.Raw)
	}
	t.Logf("OTP handled twice: %d (server %q)", code, e.Get("data.serverError").Str)
	a.noEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication)

	// Malformed OTPs never reach the server.
	ts.ResetCounters()
	for _, bad := range []string{"", "1234", otp + "A", strings.Repeat("1", protocol.OTPLength)} {
		a.expectCode(dispatch.CodeNotHandleable, api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": bad})
	}
	if n := ts.DeviceRoundTrips(); n != 0 {
		t.Fatalf("malformed OTPs made %d device requests", n)
	}

	// An expired OTP (the server's clock moved past the OTP type's expiry).
	txID, otp = createOTP(t, ts, "Too late", "")
	ts.Clock.Advance(5*time.Minute + time.Second)
	e = a.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp}).wait().Get("error")
	if c := dispatch.Code(e.Get("code").Int()); c != dispatch.CodeRequestNotFound || !strings.Contains(e.Get("message").String(), "expired: ask the site for a new code") || e.Get("data.reason").String() != "expired" {
		t.Fatalf("expired OTP: %s", e.Raw)
	}
	a.noEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication)
	if tr := transaction(t, ts, txID); tr.IsAuthenticated {
		t.Fatalf("expired transaction authenticated: %+v", tr)
	}

	// An OTP bound to another user is refused and its message never shown.
	bobID := ts.CreateUser("bob", "bob-password-1")
	_, otp = createOTP(t, ts, "Secret message for bob", bobID)
	e = a.call(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp}).wait().Get("error")
	if c := dispatch.Code(e.Get("code").Int()); c != dispatch.CodeRequestNotFound || strings.Contains(e.Raw, "Secret") {
		t.Fatalf("OTP for another user: %s", e.Raw)
	}
	a.noEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication)

	// Deregistration: gone locally; a copy of the device's old data (its old
	// keys) is refused by the server afterwards.
	backup := cloneDir(t, dir)
	a.do(api.MethodDeregisterUser, map[string]any{"profileId": pid})
	if ps := a.do(api.MethodGetUserProfiles, nil).Array(); len(ps) != 0 {
		t.Fatalf("profiles after deregistration: %v", ps)
	}
	a.expectCode(dispatch.CodeProfileNotFound, api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": pid})
	a.core.Close()
	old := fileDevice(t, backup)
	start(old, ts)
	_, otp = createOTP(t, ts, "After deregistration", "")
	if c := old.errCode(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp}); c == 0 {
		t.Fatal("the server accepted an OTP claim with deregistered keys")
	} else {
		t.Logf("old enrollment key after deregistration: %d", c)
	}
	old.noEvent(api.EventMobileAuthOtp, api.ActionStartAuthentication)
	c := old.call(api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": nil})
	old.event(api.EventPinAuthentication, api.ActionOpen)
	old.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	if code := c.code(); code != dispatch.CodeUserDeregistered {
		t.Fatalf("PIN authentication with deregistered registration: want 9003, got %d", code)
	}
	if ps := old.do(api.MethodGetUserProfiles, nil).Array(); len(ps) != 0 {
		t.Fatalf("profile kept after the server said 9003: %v", ps)
	}
}
