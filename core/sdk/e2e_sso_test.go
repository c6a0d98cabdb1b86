package sdk_test

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestE2EStartSingleSignOn (issue 17): startSingleSignOn through the
// dispatcher against the real server. The URL it resolves, opened in a
// browser, signs the browser in as the user and lands on the allow-listed
// target, once; without an authenticated user it is 9010, a target the
// application does not list 10023, a malformed one 8009.
func TestE2EStartSingleSignOn(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	const target = "https://bank.example/personal/dashboard"
	ts.SetSSOTargets(server.DemoAppID, target)
	a := newDevice(t)
	a.expectCode(dispatch.CodeNotStarted, api.MethodStartSingleSignOn, map[string]any{"url": target})
	start(a, ts)
	a.expectCode(dispatch.CodeNotAuthenticated, api.MethodStartSingleSignOn, map[string]any{"url": target})
	register(a, ts.DemoUser, ts.DemoPassword)

	res := a.do(api.MethodStartSingleSignOn, map[string]any{"url": target})
	u, tok := res.Get("url").Str, res.Get("token").Str
	if !strings.HasPrefix(u, ts.URL+protocol.PathSSORedeem+"?token=") || tok == "" || !strings.HasSuffix(u, tok) {
		t.Fatalf("startSingleSignOn: %s", res.Raw)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != target {
		t.Fatalf("opening the URL: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = browser.Get(ts.URL + protocol.PathWebSession)
	if err != nil {
		t.Fatal(err)
	}
	var sess struct {
		UserID string `json:"user_id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	if sess.UserID != ts.DemoUserID {
		t.Fatalf("browser session user %q, want %q", sess.UserID, ts.DemoUserID)
	}
	if resp, err := browser.Get(u); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("second opening: %v %v", resp, err)
	}

	a.expectCode(dispatch.CodeSingleSignOnDisabled, api.MethodStartSingleSignOn, map[string]any{"url": target + "/other"})
	for _, bad := range []any{"", "dashboard", "javascript:alert(1)", "bank://x", strings.Repeat("a", 3000), 7, nil} {
		a.expectCode(dispatch.CodeBadParameters, api.MethodStartSingleSignOn, map[string]any{"url": bad})
	}
	a.do(api.MethodLogout, nil)
	a.expectCode(dispatch.CodeNotAuthenticated, api.MethodStartSingleSignOn, map[string]any{"url": target})
}
