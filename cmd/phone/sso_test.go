package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

// phone sso prints a one-time address that signs a browser in and lands on
// the allow-listed target; a target the operator did not list is refused
// with a hint naming the command that lists it.
func TestPhoneSSOPrintsASignOnAddress(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	target := ts.URL + "/oauth/session"
	ts.SetSSOTargets(server.DemoAppID, target)
	data := t.TempDir()
	ph := func(args ...string) (int, string) {
		return phoneRun(t, "", append(args, "--data", data, "--server", ts.URL)...)
	}
	code, out := ph("register", "--user", ts.DemoUser, "--password", ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	code, out = ph("sso", target, "--pin", "24680")
	mustOK(t, code, out, "sso")
	var addr string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, ts.URL+"/oauth/sso?token=") {
			addr = strings.TrimSpace(l)
		}
	}
	if addr == "" {
		t.Fatalf("no sign-on address in:\n%s", out)
	}
	if _, err := url.Parse(addr); err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(addr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != target {
		t.Fatalf("opening the address: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	code, out = ph("sso", "https://not-listed.example/", "--pin", "24680")
	if code != 1 || !strings.Contains(out, "tokenserver app update --id oma-app --sso-target") {
		t.Fatalf("unlisted target: exit %d\n%s", code, out)
	}
	if code, _ := ph("sso", "--pin", "24680"); code != 2 {
		t.Fatalf("sso without a URL: exit %d, want 2", code)
	}
}
