package sdk_test

import (
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/tidwall/gjson"
)

// TestE2EResourceRequest: authenticated requests to the server with the
// access token and a DPoP proof; every answer status is passed through;
// requests that would leave the server or override the core's headers are
// refused before anything is sent.
func TestE2EResourceRequest(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := newDevice(t)
	start(a, ts)
	a.expectCode(dispatch.CodeNoProfileAuthenticated, api.MethodResourceRequest, map[string]any{"path": protocol.PathUserInfo})
	pid := register(a, ts.DemoUser, ts.DemoPassword)

	res := a.do(api.MethodResourceRequest, map[string]any{"method": "get", "path": protocol.PathUserInfo, "headers": map[string]string{"X-Trace": "1"}})
	if res.Get("status").Int() != 200 || gjson.Get(res.Get("body").Str, "profile_id").Str != pid ||
		res.Get("headers.content-type").Str == "" {
		t.Fatalf("userinfo: %s", res.Raw)
	}
	// A refusal by the server is an answer, not an error: the app sees the status.
	res = a.do(api.MethodResourceRequest, map[string]any{"method": "POST", "path": protocol.PathEnroll, "body": map[string]string{"csr": "not a csr"}})
	if st := res.Get("status").Int(); st < 400 || st >= 500 || gjson.Get(res.Get("body").Str, "error").Str == "" {
		t.Fatalf("bad enroll through resourceRequest: %s", res.Raw)
	}
	res = a.do(api.MethodResourceRequest, map[string]any{"path": "/no/such/resource", "body": "plain text"})
	if res.Get("status").Int() != 404 {
		t.Fatalf("unknown path: %s", res.Raw)
	}
	ts.ResetCounters()
	for _, outside := range []string{"https://evil.example/steal", "//evil.example/steal", "../relative", "evil.example:80/x"} {
		a.expectCode(dispatch.CodeResourceCallError, api.MethodResourceRequest, map[string]any{"path": outside})
	}
	for _, bad := range []map[string]any{
		{"path": "/x y"},
		{"path": protocol.PathUserInfo, "method": "TRACE"},
		{"path": protocol.PathUserInfo, "headers": map[string]string{"Authorization": "Bearer x"}},
		{"path": protocol.PathUserInfo, "headers": map[string]string{"dpop": "x"}},
		{"path": protocol.PathUserInfo, "headers": map[string]any{"X-N": 1}},
		{"path": protocol.PathUserInfo, "headers": "x"},
		{"path": protocol.PathUserInfo, "body": 5},
		{"method": "GET"},
	} {
		a.expectCode(dispatch.CodeBadParameters, api.MethodResourceRequest, bad)
	}
	if n := ts.DeviceRoundTrips(); n != 0 {
		t.Fatalf("refused resource requests reached the server %d times", n)
	}
}
