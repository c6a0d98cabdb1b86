package sdk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
	serverstore "github.com/openmobileauth/oma/server/store"
)

// configuredPhone is a phone whose core has the platform and app configuration
// the native side would pass at Start.
func configuredPhone(t *testing.T, platform string, app sdk.AppConfig) *phone {
	t.Helper()
	st := device.NewMemStorage()
	return newPhoneOpts(t, sdk.Options{Storage: st, Keys: device.NewSoftKeyStore(st),
		Client: client.Settings{Platform: platform, Defaults: app.Client()}})
}

// allowApp configures an application on ts that only the given platform may
// register with (DESIGN §10), with the core's default redirect URI.
func allowApp(t *testing.T, ts *servertest.TestServer, id, platform string) {
	t.Helper()
	if err := ts.Server.Admin().CreateApplication(context.Background(), server.ApplicationSpec{
		ID: id, Name: id, RedirectURIs: []string{client.DefaultRedirectURI}, Platforms: []string{platform},
	}); err != nil {
		t.Fatal(err)
	}
}

// registered returns what the server stored about the phone's client registration.
func registered(t *testing.T, ts *servertest.TestServer, p *phone) (store.Client, serverstore.Client) {
	t.Helper()
	local, err := store.New(p.storage).Client()
	if err != nil || local == nil {
		t.Fatalf("no local client registration: %v", err)
	}
	var remote serverstore.Client
	err = ts.Server.Store().View(context.Background(), func(tx serverstore.Tx) error {
		var e error
		remote, e = tx.GetClient(context.Background(), local.ClientID)
		return e
	})
	if err != nil {
		t.Fatalf("server does not know client %s: %v", local.ClientID, err)
	}
	return *local, remote
}

// TestE2EStartConfiguration: startClient() without arguments registers with the
// app configuration given at Start, and the server records the platform the
// native side named (not "desktop"): the application allows android only.
func TestE2EStartConfiguration(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	allowApp(t, ts, "example-bank", "android")
	p := configuredPhone(t, "android", sdk.AppConfig{ServerURL: ts.URL, AppID: "example-bank", AppVersion: "2.1.0"})
	p.do(api.MethodStartClient, map[string]any{})
	local, remote := registered(t, ts, p)
	if remote.Platform != "android" || remote.AppID != "example-bank" || remote.AppVersion != "2.1.0" ||
		remote.RedirectURI != client.DefaultRedirectURI {
		t.Fatalf("server stored %+v", remote)
	}
	if local.ServerURL != ts.URL {
		t.Fatalf("registered with %s, want %s", local.ServerURL, ts.URL)
	}
	// A core without a platform reports the default, which that application refuses.
	d := configuredPhone(t, "", sdk.AppConfig{ServerURL: ts.URL, AppID: "example-bank"})
	d.expectCode(dispatch.CodeConfiguration, api.MethodStartClient, map[string]any{})
	d = newDevice(t) // the demo application allows any platform
	start(d, ts)
	if _, remote := registered(t, ts, d); remote.Platform != client.DefaultPlatform() {
		t.Fatalf("default platform %q", remote.Platform)
	}
}

// TestE2EStartClientArgumentsOverride: arguments win field by field over the
// app configuration; what they leave out still comes from it.
func TestE2EStartClientArgumentsOverride(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	allowApp(t, ts, "from-config", "ios")
	// The configured server is unreachable: only the argument can make this work.
	p := configuredPhone(t, "ios", sdk.AppConfig{ServerURL: "http://" + closedAddr(t), AppID: "from-config"})
	p.expectCode(dispatch.CodeServerNotReachable, api.MethodStartClient, map[string]any{})
	p.do(api.MethodStartClient, map[string]any{"serverUrl": ts.URL, "appVersion": "9.9"})
	if _, remote := registered(t, ts, p); remote.Platform != "ios" || remote.AppID != "from-config" || remote.AppVersion != "9.9" {
		t.Fatalf("server stored %+v", remote)
	}
	// Neither the call nor the configuration names a server: 8001 naming serverUrl.
	q := configuredPhone(t, "ios", sdk.AppConfig{AppID: "no-server"})
	e := q.expectCode(dispatch.CodeConfiguration, api.MethodStartClient, map[string]any{})
	if msg := e.Get("message").Str; !strings.Contains(msg, "serverUrl") {
		t.Fatalf("message %q does not name serverUrl", msg)
	}
}
