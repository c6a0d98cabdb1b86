package client

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/server"
	serverstore "github.com/openmobileauth/oma/server/store"
)

// TestRegistrationNamesTheApplication: the core registers with the appId,
// appVersion and platform it is configured with, and a server that has no
// such application (or not this redirect URI, platform or version) refuses
// it; the core reports that as a configuration error (8001) and stays
// unstarted.
func TestRegistrationNamesTheApplication(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	srv, err := server.New(context.Background(), server.Config{
		ListenAddr: ln.Addr().String(), PublicBaseURL: base, LogOutput: io.Discard,
		StoreURL: "sqlite:" + filepath.Join(t.TempDir(), "oma.db"), Argon2: server.CheapArgon2,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	for _, a := range []server.ApplicationSpec{
		{ID: "bank", Name: "Example Bank", RedirectURIs: []string{"bank://cb"}, Platforms: []string{DefaultPlatform()}, Versions: []string{"2.0"}},
		{ID: "ios-only", Name: "iOS only", RedirectURIs: []string{"bank://cb"}, Platforms: []string{"ios"}},
		{ID: "off", Name: "Off", RedirectURIs: []string{"bank://cb"}, Disabled: true},
	} {
		if err := srv.Admin().CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	hs := &http.Server{Handler: srv.Handler()}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()

	for name, cfg := range map[string]Config{
		"unknown application":    {AppID: "other", AppVersion: "2.0", RedirectURI: "bank://cb"},
		"redirect URI not exact": {AppID: "bank", AppVersion: "2.0", RedirectURI: "bank://cb/"},
		"other version":          {AppID: "bank", AppVersion: "1.9", RedirectURI: "bank://cb"},
		"other platform":         {AppID: "ios-only", AppVersion: "2.0", RedirectURI: "bank://cb"},
		"disabled application":   {AppID: "off", AppVersion: "2.0", RedirectURI: "bank://cb"},
	} {
		cfg.ServerURL = base
		c := New(store.New(device.NewMemStorage()), device.NewSoftKeyStore(nil), nil)
		err := c.Start(ctx, cfg)
		if dispatch.CodeOf(err) != dispatch.CodeConfiguration {
			t.Errorf("%s: want 8001, got %v", name, err)
		}
		if c.Started() == nil {
			t.Errorf("%s: started", name)
		}
		c.Close()
	}
	c := New(store.New(device.NewMemStorage()), device.NewSoftKeyStore(nil), nil)
	defer c.Close()
	if err := c.Start(ctx, Config{ServerURL: base, AppID: "bank", AppVersion: "2.0", RedirectURI: "bank://cb"}); err != nil {
		t.Fatalf("configured application: %v", err)
	}
	reg, _ := c.Registration()
	var got serverstore.Client
	if err := srv.Store().View(ctx, func(tx serverstore.Tx) error {
		var err error
		got, err = tx.GetClient(ctx, reg.ClientID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got.AppID != "bank" || got.AppVersion != "2.0" || got.Platform != DefaultPlatform() || got.RedirectURI != "bank://cb" {
		t.Fatalf("the server stored %+v", got)
	}
}

// The platform the core reports follows the build: the Android and iOS
// libraries say so (an application limited to them accepts them), the
// desktop and test builds say desktop.
func TestPlatformOfBuild(t *testing.T) {
	for goos, want := range map[string]string{"android": "android", "ios": "ios", "linux": "desktop", "darwin": "desktop", "windows": "desktop", "js": "desktop"} {
		if got := platformOf(goos); got != want {
			t.Errorf("platformOf(%q) = %q, want %q", goos, got, want)
		}
	}
}
