package client

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/server"
)

// TestRealServerOverPinnedTLS registers a client with the real Token Server
// served over TLS: with the right SPKI pin it succeeds, with a wrong pin the
// handshake is refused (9000) before any request, and a plain-http URL to a
// non-loopback host is refused as configuration (8001).
func TestRealServerOverPinnedTLS(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "https://" + ln.Addr().String()
	srv, err := server.New(context.Background(), server.Config{
		ListenAddr: ln.Addr().String(), PublicBaseURL: base, LogOutput: io.Discard,
		StoreURL: "sqlite:" + filepath.Join(t.TempDir(), "oma.db"), Argon2: server.CheapArgon2,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Admin().CreateApplication(context.Background(), server.ApplicationSpec{ID: "a", Name: "TLS test", RedirectURIs: []string{DefaultRedirectURI}}); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Listener.Close()
	hs.Listener = ln
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	hs.StartTLS()
	defer hs.Close()
	roots := x509.NewCertPool()
	roots.AddCert(hs.Certificate())
	spki := sha256.Sum256(hs.Certificate().RawSubjectPublicKeyInfo)
	wrong := sha256.Sum256([]byte("another key"))

	mk := func() *Client {
		c := New(store.New(device.NewMemStorage()), device.NewSoftKeyStore(nil), nil)
		c.roots = roots
		return c
	}
	c := mk()
	err = c.Start(context.Background(), Config{ServerURL: base, RedirectURI: DefaultRedirectURI, AppID: "a", AppVersion: "1",
		PinnedCertSHA256: base64.StdEncoding.EncodeToString(wrong[:])})
	if dispatch.CodeOf(err) != dispatch.CodeNetwork {
		t.Fatalf("wrong pin: want 9000, got %v", err)
	}
	if c.Started() == nil {
		t.Fatal("started despite the pin mismatch")
	}
	err = c.Start(context.Background(), Config{ServerURL: base, RedirectURI: DefaultRedirectURI, AppID: "a", AppVersion: "1",
		PinnedCertSHA256: base64.RawURLEncoding.EncodeToString(spki[:])})
	if err != nil {
		t.Fatalf("right pin: %v", err)
	}
	reg, err := c.Registration()
	if err != nil || reg.ClientID == "" || reg.PinLength == 0 {
		t.Fatalf("registration %+v %v", reg, err)
	}
	c.Close()
	// Without the test's trust anchor the self-signed certificate is refused.
	c2 := New(store.New(device.NewMemStorage()), device.NewSoftKeyStore(nil), nil)
	if err := c2.Start(context.Background(), Config{ServerURL: base, RedirectURI: DefaultRedirectURI}); dispatch.CodeOf(err) != dispatch.CodeNetwork {
		t.Fatalf("untrusted certificate: want 9000, got %v", err)
	}
}
