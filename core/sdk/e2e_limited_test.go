package sdk_test

import (
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/tidwall/gjson"
)

// TestE2ELimitedResources (issue 17): getResourceBaseUrl, device
// authentication and Anonymous requests, implicit authentication without a
// PIN and ImplicitUser requests, User requests by absolute URL, through the
// dispatcher against the real server. Tokens go only to URLs under the
// resource base; an implicit token does not reach the user resource.
func TestE2ELimitedResources(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := newDevice(t)
	a.expectCode(dispatch.CodeNotStarted, api.MethodGetResourceBaseURL, nil)
	start(a, ts)
	base := a.do(api.MethodGetResourceBaseURL, nil).Str
	if base != ts.URL+"/resources" {
		t.Fatalf("getResourceBaseUrl: %q", base)
	}
	req := func(typ, path string) gjson.Result {
		t.Helper()
		return a.do(api.MethodResourceRequest, map[string]any{"type": typ, "method": "GET", "path": path})
	}

	// Anonymous: 10012 until the device authenticates.
	a.expectCode(dispatch.CodeDeviceNotAuthenticated, api.MethodResourceRequest, map[string]any{"type": "Anonymous", "path": base + "/devices"})
	a.do(api.MethodAuthenticateDeviceForResource, map[string]any{"scopes": []string{"read"}})
	res := req("Anonymous", base+"/devices")
	if !res.Get("ok").Bool() || res.Get("status").Int() != 200 || gjson.Get(res.Get("body").Str, "application_identifier").Str == "" {
		t.Fatalf("anonymous devices: %s", res.Raw)
	}
	if res := req("Anonymous", base+"/profile"); res.Get("ok").Bool() || res.Get("status").Int() != 403 {
		t.Fatalf("anonymous at the user resource: %s", res.Raw)
	}
	a.expectCode(dispatch.CodeGeneral, api.MethodAuthenticateDeviceForResource, map[string]any{"scopes": []string{"openid"}})

	// Implicit: a registered profile, no PIN, no session needed.
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	if res := req("User", base+"/profile"); res.Get("status").Int() != 200 || gjson.Get(res.Get("body").Str, "profile_id").Str != pid {
		t.Fatalf("user profile by URL: %s", res.Raw)
	}
	a.do(api.MethodLogout, nil)
	a.expectCode(dispatch.CodeNotAuthenticatedImplicitly, api.MethodResourceRequest, map[string]any{"type": "ImplicitUser", "path": base + "/user-id"})
	a.expectCode(dispatch.CodeNotAuthenticatedImplicitly, api.MethodGetImplicitlyAuthenticatedUserProfile, nil)
	a.expectCode(dispatch.CodeProfileNotFound, api.MethodAuthenticateUserImplicitly, map[string]any{"profileId": "nobody"})
	a.expectCode(dispatch.CodeGeneral, api.MethodAuthenticateUserImplicitly, map[string]any{"profileId": pid, "scopes": []string{"openid"}})
	a.do(api.MethodAuthenticateUserImplicitly, map[string]any{"profileId": pid})
	if got := a.do(api.MethodGetImplicitlyAuthenticatedUserProfile, nil).Get("id").Str; got != pid {
		t.Fatalf("getImplicitlyAuthenticatedUserProfile: %q", got)
	}
	res = req("ImplicitUser", base+"/user-id")
	if !res.Get("ok").Bool() || gjson.Get(res.Get("body").Str, "decorated_user_id").Str == "" {
		t.Fatalf("implicit user-id: %s", res.Raw)
	}
	// A relative path, as the official example app writes it, resolves under the resource base URL.
	if res := req("ImplicitUser", "user-id"); !res.Get("ok").Bool() || gjson.Get(res.Get("body").Str, "decorated_user_id").Str == "" {
		t.Fatalf("implicit relative user-id: %s", res.Raw)
	}
	// The implicit token does not reach the user resource.
	if res := req("ImplicitUser", base+"/profile"); res.Get("ok").Bool() || res.Get("status").Int() != 403 {
		t.Fatalf("implicit token at the user resource: %s", res.Raw)
	}
	// The user session ended with the logout: User requests need the PIN again.
	a.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodResourceRequest, map[string]any{"path": base + "/profile"})

	// No token leaves for a URL outside the resource base, whatever the type.
	host := strings.TrimPrefix(ts.URL, "http://")
	ts.ResetCounters()
	for _, typ := range []string{"ImplicitUser", "Anonymous"} {
		for _, outside := range []string{
			"https://evil.example/resources/user-id",
			"http://evil.example/" + host + "/resources/user-id",
			ts.URL + "/resourcesX",
			ts.URL + "/resources.evil.example/x",
			ts.URL + "/resources/../device/v1/userinfo",
			ts.URL + "/resources/%2e%2e/device/v1/userinfo",
			ts.URL + "/device/v1/userinfo",
			"https://" + host + "/resources/user-id",
			strings.Replace(ts.URL, "127.0.0.1", "localhost", 1) + "/resources/user-id",
			"../device/v1/userinfo",
			"%2e%2e/device/v1/userinfo",
			"user-id/../../device/v1/userinfo",
			"evil.example:443/resources/user-id",
		} {
			a.expectCode(dispatch.CodeResourceCallError, api.MethodResourceRequest, map[string]any{"type": typ, "path": outside})
		}
	}
	if n := ts.DeviceRoundTrips(); n != 0 {
		t.Fatalf("refused resource requests reached the server %d times", n)
	}
}
