package sdk_test

import (
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestE2ETokenRefresh: when the server's clock passes the access token's
// lifetime, the core refreshes the token once and retries; when the refresh
// token expired too, the session ends with 9010.
func TestE2ETokenRefresh(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := newDevice(t)
	start(a, ts)
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	before := a.do(api.MethodGetAccessToken, nil).Str

	ts.Clock.Advance(61 * time.Minute) // the server's 1 h access token lifetime has passed
	res := a.do(api.MethodResourceRequest, map[string]any{"path": protocol.PathUserInfo})
	if res.Get("status").Int() != 200 {
		t.Fatalf("resourceRequest after the access token expired: %s", res.Raw)
	}
	after := a.do(api.MethodGetAccessToken, nil).Str
	if after == before || after == "" {
		t.Fatal("the access token was not refreshed")
	}
	ts.Clock.Advance(61 * time.Minute)
	a.do(api.MethodEnrollMobileAuthentication, nil) // enrollment refreshes the same way
	if !a.do(api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": pid}).Bool() {
		t.Fatal("not enrolled")
	}

	ts.Clock.Advance(31 * 24 * time.Hour) // the refresh token expired too
	a.expectCode(dispatch.CodeNotAuthenticated, api.MethodResourceRequest, map[string]any{"path": protocol.PathUserInfo})
	a.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodGetAuthenticatedUserProfile, nil)
	// The registration itself is intact: PIN authentication starts a new session.
	authenticate(a, pid, goodPin)
	if a.do(api.MethodResourceRequest, map[string]any{"path": protocol.PathUserInfo}).Get("status").Int() != 200 {
		t.Fatal("resourceRequest after re-authentication")
	}
}
