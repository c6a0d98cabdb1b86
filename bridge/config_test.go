package bridge_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/bridge"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
	serverstore "github.com/openmobileauth/oma/server/store"
)

// TestStartConfiguration: the SDK configuration the native side passes at
// Start carries the platform and the app's configuration; startClient with no
// arguments registers with them, and the server records the native platform.
func TestStartConfiguration(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	// The application admits iOS only: registering proves the platform was passed.
	if err := ts.Server.Admin().CreateApplication(context.Background(), server.ApplicationSpec{
		ID: "example-bank", Name: "Example Bank", RedirectURIs: []string{client.DefaultRedirectURI}, Platforms: []string{"ios"},
	}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	cfg, _ := json.Marshal(map[string]any{
		"platform": "ios", "dataDir": dir, "logLevel": "disabled",
		"app": map[string]any{"serverUrl": ts.URL, "appId": "example-bank", "appVersion": "3.0"},
	})
	r := start(t, string(cfg))
	r.invoke(`{"jsonrpc":"2.0","id":1,"method":"startClient","params":{}}`)
	if e := decode(t, r.waitFor(t, 1)[0]); e.Error != nil || idOf(e) != "1" {
		t.Fatalf("startClient(): %s", r.snapshot()[0])
	}
	bridge.Close()
	fs, err := device.NewFileStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	local, err := store.New(fs).Client()
	if err != nil || local == nil {
		t.Fatalf("no client registration stored: %v", err)
	}
	var remote serverstore.Client
	if err := ts.Server.Store().View(context.Background(), func(tx serverstore.Tx) error {
		var e error
		remote, e = tx.GetClient(context.Background(), local.ClientID)
		return e
	}); err != nil {
		t.Fatal(err)
	}
	if remote.Platform != "ios" || remote.AppID != "example-bank" || remote.AppVersion != "3.0" {
		t.Fatalf("server stored %+v", remote)
	}
}
