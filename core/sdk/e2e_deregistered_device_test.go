package sdk_test

import (
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/server/servertest"
)

// TestE2EUnknownClientIs9002: a device whose stored client registration the
// server does not know (removed on the server) gets 9002; the core drops the
// stale local state, and startClient registers the app instance again.
func TestE2EUnknownClientIs9002(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	st := device.NewMemStorage()
	ks := device.NewSoftKeyStore(st)
	if _, err := keys.Generate(ks, keys.AliasClient); err != nil {
		t.Fatal(err)
	}
	s := store.New(st)
	if err := s.SetClient(store.Client{ServerURL: ts.URL, ClientID: "client-the-server-forgot", PinLength: 5,
		AppID: "oma-app", AppVersion: "1", RedirectURI: "oma-app://registration/callback", KeyAlias: keys.AliasClient}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutProfile(store.Profile{ID: "old-profile"}); err != nil {
		t.Fatal(err)
	}
	a := newPhone(t, st, ks)
	start(a, ts) // resumes from storage without a round trip
	c := a.call(api.MethodAuthenticateUser, map[string]any{"profileId": "old-profile", "authenticatorId": nil})
	a.event(api.EventPinAuthentication, api.ActionOpen)
	a.do(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": goodPin})
	if code := c.code(); code != dispatch.CodeDeviceDeregistered {
		t.Fatalf("unknown client: want 9002, got %d", code)
	}
	a.expectCode(dispatch.CodeNotStarted, api.MethodGetUserProfiles, nil)
	start(a, ts) // registers anew
	if ps := a.do(api.MethodGetUserProfiles, nil).Array(); len(ps) != 0 {
		t.Fatalf("stale profiles kept: %v", ps)
	}
	pid := register(a, ts.DemoUser, ts.DemoPassword)
	if pid == "" || pid == "old-profile" {
		t.Fatalf("profile %q", pid)
	}
}
