package client

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

func TestConfigHTTPSOnlyUnlessLoopbackOrAllowed(t *testing.T) {
	ok := []Config{
		{ServerURL: "https://auth.example.org"},
		{ServerURL: "http://127.0.0.1:8080"},
		{ServerURL: "http://[::1]:8080/base/"},
		{ServerURL: "http://localhost:1"},
		{ServerURL: "http://10.0.2.2:8080", AllowInsecureHTTP: true},
	}
	for _, c := range ok {
		c.RedirectURI = DefaultRedirectURI
		if _, _, err := c.normalized(); err != nil {
			t.Errorf("%s refused: %v", c.ServerURL, err)
		}
	}
	bad := []Config{
		{ServerURL: "http://auth.example.org"},
		{ServerURL: "ftp://auth.example.org"},
		{ServerURL: "auth.example.org"},
		{ServerURL: "https://user:pw@auth.example.org"},
		{ServerURL: "https://auth.example.org/?x=1"},
		{ServerURL: "https://auth.example.org", PinnedCertSHA256: "not base64!"},
		{ServerURL: "https://auth.example.org", PinnedCertSHA256: base64.StdEncoding.EncodeToString([]byte("short"))},
		{ServerURL: "http://127.0.0.1:1", PinnedCertSHA256: base64.StdEncoding.EncodeToString(make([]byte, 32))},
	}
	for _, c := range bad {
		c.RedirectURI = DefaultRedirectURI
		if _, _, err := c.normalized(); dispatch.CodeOf(err) != dispatch.CodeConfiguration {
			t.Errorf("%+v: want 8001, got %v", c, err)
		}
	}
	base, _, _ := Config{ServerURL: "http://[::1]:8080/base/", RedirectURI: "a:b"}.normalized()
	if base != "http://[::1]:8080/base" {
		t.Fatalf("base %q", base)
	}
}

func newClient() *Client {
	return New(store.New(device.NewMemStorage()), device.NewSoftKeyStore(nil), nil)
}

func TestCallsBeforeStartAre8020(t *testing.T) {
	c := newClient()
	if err := c.Call(context.Background(), "GET", protocol.PathUserInfo, nil, "", nil); dispatch.CodeOf(err) != dispatch.CodeNotStarted {
		t.Fatalf("want 8020, got %v", err)
	}
}

func TestUnreachableServerIs9001(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	err = newClient().Start(context.Background(), Config{ServerURL: "http://" + addr, RedirectURI: DefaultRedirectURI})
	if dispatch.CodeOf(err) != dispatch.CodeServerNotReachable {
		t.Fatalf("want 9001, got %v", err)
	}
}

// TestCertificatePinning talks to a real TLS listener: a wrong pin is a 9000
// network error before any request is sent; the right pin gets through to the
// HTTP layer (whose answer, not being a device API answer, maps to 10000).
func TestCertificatePinning(t *testing.T) {
	hits := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		http.Error(w, "no", http.StatusTeapot)
	}))
	defer srv.Close()
	spki := sha256.Sum256(srv.Certificate().RawSubjectPublicKeyInfo)
	good := base64.StdEncoding.EncodeToString(spki[:])
	wrong := sha256.Sum256([]byte("other"))

	c := newClient()
	_, pin, err := Config{ServerURL: srv.URL, PinnedCertSHA256: base64.StdEncoding.EncodeToString(wrong[:]), RedirectURI: "a:b"}.normalized()
	if err != nil {
		t.Fatal(err)
	}
	s := &session{base: srv.URL, http: newHTTPClient(pin)}
	s.http.tr.TLSClientConfig.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	s.signer = mustSigner(t)
	if err := c.do(context.Background(), s, request{method: "GET", path: "/x"}, nil); dispatch.CodeOf(err) != dispatch.CodeNetwork || hits != 0 {
		t.Fatalf("wrong pin: want 9000 and no request, got %v (hits %d)", err, hits)
	}
	_, pin, _ = Config{ServerURL: srv.URL, PinnedCertSHA256: good, RedirectURI: "a:b"}.normalized()
	s.http = newHTTPClient(pin)
	s.http.tr.TLSClientConfig.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	if err := c.do(context.Background(), s, request{method: "GET", path: "/x"}, nil); dispatch.CodeOf(err) != dispatch.CodeGeneral || hits != 1 {
		t.Fatalf("right pin: want the request through (10000 for a non-protocol answer), got %v (hits %d)", err, hits)
	}
	// Without a trusted root the certificate itself is refused (9000).
	s.http = newHTTPClient(nil)
	if err := c.do(context.Background(), s, request{method: "GET", path: "/x"}, nil); dispatch.CodeOf(err) != dispatch.CodeNetwork {
		t.Fatalf("untrusted certificate: want 9000, got %v", err)
	}
}

func TestRefusalMapping(t *testing.T) {
	two := 2
	cases := []struct {
		status int
		body   string
		want   dispatch.Code
	}{
		{400, `{"error":"invalid_pin","remaining_attempts":2}`, dispatch.CodeWrongPin},
		{410, `{"error":"user_deregistered"}`, dispatch.CodeUserDeregistered},
		{409, `{"error":"already_handled"}`, dispatch.CodeAlreadyHandled},
		{404, `{"error":"not_found"}`, dispatch.CodeRequestNotFound},
		{503, `<html>`, dispatch.CodeServerNotReachable},
		{429, ``, dispatch.CodeRateLimited},
		{418, `teapot`, dispatch.CodeGeneral},
	}
	for _, c := range cases {
		err := refusal(c.status, []byte(c.body), "/p")
		e := dispatch.AsError(err)
		if e.Code != c.want {
			t.Errorf("%d %s: got %v", c.status, c.body, err)
		}
	}
	e := dispatch.AsError(refusal(400, []byte(`{"error":"invalid_pin","remaining_attempts":2}`), "/p"))
	if e.Data["remainingFailureCount"] != two {
		t.Fatalf("remaining attempts not carried: %v", e.Data)
	}
	if se, ok := AsServerError(e); !ok || se.Body.Error != protocol.ErrInvalidPin {
		t.Fatal("server error not kept as cause")
	}
}
