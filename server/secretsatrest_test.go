package server_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// storedKeys reads what the store holds for an API client's callback key, an
// identity provider's webhook key and the login form's key.
func storedKeys(t *testing.T, st store.Store, clientID, appID, idpID string) (callbackKey, webhookKey, loginKey string) {
	t.Helper()
	err := st.View(ctx, func(tx store.Tx) error {
		c, err := tx.GetAPIClient(ctx, clientID)
		if err != nil {
			return err
		}
		p, err := tx.GetIdentityProvider(ctx, appID, idpID)
		if err != nil {
			return err
		}
		l, err := tx.GetSetting(ctx, "login_csrf_key")
		callbackKey, webhookKey, loginKey = c.CallbackKey, p.WebhookKey, l
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

func sealed(v, secret string) bool {
	return strings.HasPrefix(v, "kek1:") && !strings.Contains(v, secret)
}

// Callback keys, identity-provider webhook keys and the login form key are
// stored sealed under the master key (server/atrest), and still work: a
// callback verifies with the key the operator was given, a custom
// registration's backend verifies its webhook. A store from before the
// master key (values unsealed) is sealed at start with the same keys; the
// wrong master key, or none for a sealed store, refuses to start with an
// error that says so.
func TestSecretsSealedAtRest(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		if o.StoreURL == "" {
			o.StoreURL = "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
		}
		kek := bytes.Repeat([]byte{0x5a}, 32)
		withKey := func(k []byte) servertest.Options {
			oo := o
			oo.Config = func(c *server.Config) { c.MasterKey = k }
			return oo
		}

		// 1. Before the master key: values are stored as they are.
		ts := servertest.Start(t, withKey(nil))
		cr, err := ts.Server.Admin().CreateAPIClient(ctx, server.APIClientSpec{ID: "shop"})
		if err != nil {
			t.Fatal(err)
		}
		b := servertest.StartLetterBackend(t, map[string]string{"K7-4411": "customer-4411"})
		ts.CreateCustomIdP(server.DemoAppID, "letter", "Letter", b)
		cb, wh, lk := storedKeys(t, ts.Server.Store(), "shop", server.DemoAppID, "letter")
		if cb != cr.CallbackKey || wh != b.Key || strings.HasPrefix(lk, "kek1:") {
			t.Fatalf("without a master key: stored %q %q %q", cb, wh, lk)
		}
		demoKey := ts.CallbackKey
		ts.Close()

		// 2. Started with the master key: everything is sealed in place.
		ts = servertest.Start(t, withKey(kek))
		cb, wh, lk2 := storedKeys(t, ts.Server.Store(), "shop", server.DemoAppID, "letter")
		if !sealed(cb, cr.CallbackKey) || !sealed(wh, b.Key) || !sealed(lk2, lk) {
			t.Fatalf("not sealed on start: %q %q %q", cb, wh, lk2)
		}
		if _, k, err := ts.Server.Admin().CallbackKey(ctx, "shop"); err != nil || k != cr.CallbackKey {
			t.Fatalf("the callback key changed when sealed (%v)", err)
		}
		if ts.CallbackKey != demoKey {
			t.Fatal("the demo client's callback key changed when sealed")
		}
		// They still work: a callback verified with the key, a custom
		// registration whose backend verifies the webhook signature.
		rcv := newReceiver(t, 0, func() string { return ts.CallbackKey })
		ts.AllowCallback(rcv.srv.URL + "/cb")
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		answerOne(t, ts, d, rcv.srv.URL+"/cb")
		waitFor(t, "a verified callback", func() bool { return len(rcv.delivered()) == 1 })
		if err := ts.NewDevice().CustomRegister("letter", nil, "K7-4411", "24680"); err != nil || b.Rejected != 0 {
			t.Fatalf("custom registration with the sealed webhook key: %v (%d rejected)", err, b.Rejected)
		}
		// New keys are sealed from the start.
		cr2, err := ts.Server.Admin().CreateAPIClient(ctx, server.APIClientSpec{ID: "shop2"})
		if err != nil {
			t.Fatal(err)
		}
		b2 := servertest.StartLetterBackend(t, nil)
		ts.CreateCustomIdP(server.DemoAppID, "letter2", "Letter 2", b2)
		cb, wh, _ = storedKeys(t, ts.Server.Store(), "shop2", server.DemoAppID, "letter2")
		if !sealed(cb, cr2.CallbackKey) || !sealed(wh, b2.Key) {
			t.Fatalf("new keys stored unsealed: %q %q", cb, wh)
		}
		kid, rotated, err := ts.Server.Admin().RotateCallbackKey(ctx, "shop2")
		if err != nil {
			t.Fatal(err)
		}
		cb, _, _ = storedKeys(t, ts.Server.Store(), "shop2", server.DemoAppID, "letter2")
		if !sealed(cb, rotated) {
			t.Fatalf("rotated key %s stored unsealed", kid)
		}
		ts.Close()

		// On SQLite the database files hold none of the keys.
		if p, ok := strings.CutPrefix(o.StoreURL, "sqlite:"); ok {
			for _, f := range []string{p, p + "-wal"} {
				raw, err := os.ReadFile(f)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				for i, secret := range []string{cr.CallbackKey, cr2.CallbackKey, rotated, b.Key, b2.Key, lk} {
					if bytes.Contains(raw, []byte(secret)) {
						t.Errorf("%s contains key %d in clear", filepath.Base(f), i)
					}
				}
			}
		}

		// 3. The wrong master key, or none, refuses to start.
		cfg := server.Config{StoreURL: o.StoreURL, LogOutput: io.Discard, Argon2: server.CheapArgon2}
		for name, k := range map[string][]byte{"wrong": bytes.Repeat([]byte{0x11}, 32), "none": nil} {
			cfg.MasterKey = k
			s, err := server.New(ctx, cfg)
			if err == nil {
				_ = s.Close()
				t.Fatalf("%s master key: started", name)
			}
			if !strings.Contains(err.Error(), "master key") {
				t.Fatalf("%s master key: unclear error %v", name, err)
			}
		}
	})
}
