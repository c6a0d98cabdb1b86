package client

import (
	"bytes"
	"context"
	"crypto/x509"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
	"github.com/rs/zerolog"
)

// platformOf maps a GOOS to the platform name of the device protocol: the
// platform a core reports when its configuration names none ("android" and
// "ios" in the mobile builds, "desktop" elsewhere). The native modules name
// theirs in the SDK configuration (DESIGN §11).
func platformOf(goos string) string {
	switch goos {
	case "android", "ios":
		return goos
	}
	return "desktop"
}

// Client is the started SDK client: configuration, registration and HTTP.
// It is safe for concurrent use.
type Client struct {
	st  *store.Store
	ks  device.KeyStore
	log *zerolog.Logger
	set Settings // platform and startClient defaults, fixed at New

	startMu sync.Mutex // serialises Start
	mu      sync.RWMutex
	cur     *session // nil until Start succeeds
	now     func() time.Time
	roots   *x509.CertPool // tests only: trust anchors instead of the system's
	hmu     sync.Mutex
	https   []*httpClient // every HTTP client made; Close releases them all
	closed  atomic.Bool
}

// session is the state of a started client.
type session struct {
	base   string
	reg    store.Client
	signer *keys.Signer
	http   *httpClient
}

// New returns an unstarted client over the core's store and key store, with
// the default settings (platform "desktop", no app configuration).
func New(st *store.Store, ks device.KeyStore, log *zerolog.Logger) *Client {
	return NewWithSettings(st, ks, log, Settings{})
}

// NewWithSettings returns an unstarted client that reports set's platform and
// uses set's app configuration for what a startClient call leaves out.
func NewWithSettings(st *store.Store, ks device.KeyStore, log *zerolog.Logger, set Settings) *Client {
	if log == nil {
		nop := zerolog.Nop()
		log = &nop
	}
	if set.Platform == "" {
		set.Platform = DefaultPlatform()
	}
	return &Client{st: st, ks: ks, log: log, now: time.Now, set: set}
}

// Platform returns the platform the client reports at registration.
func (c *Client) Platform() string { return c.set.Platform }

// Store returns the core's persistent state.
func (c *Client) Store() *store.Store { return c.st }

// Keys returns the key store capability.
func (c *Client) Keys() device.KeyStore { return c.ks }

// Log returns the redacting logger.
func (c *Client) Log() *zerolog.Logger { return c.log }

// Now returns the current time (the core's clock).
func (c *Client) Now() time.Time { return c.now() }

// Close releases the idle connections of every HTTP client this client made
// (requests still running when an earlier startClient replaced their client
// return their connections to it).
func (c *Client) Close() {
	c.closed.Store(true)
	c.hmu.Lock()
	defer c.hmu.Unlock()
	for _, h := range c.https {
		h.close()
	}
}

// httpFor returns the HTTP client for a pin: the current one when the pin is
// unchanged, else a new one.
func (c *Client) httpFor(pin []byte) *httpClient {
	c.hmu.Lock()
	defer c.hmu.Unlock()
	for _, h := range c.https {
		if bytes.Equal(h.pin, pin) {
			return h
		}
	}
	h := newHTTPClient(pin)
	if c.roots != nil {
		h.tr.TLSClientConfig.RootCAs = c.roots
	}
	c.https = append(c.https, h)
	return h
}

func (c *Client) session() (*session, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.cur == nil {
		return nil, dispatch.Errorf(dispatch.CodeNotStarted, "the SDK client is not started: call startClient first")
	}
	return c.cur, nil
}

// Started answers 8020 when startClient has not succeeded yet.
func (c *Client) Started() error {
	_, err := c.session()
	return err
}

// Registration returns the client registration (8020 before startClient).
func (c *Client) Registration() (store.Client, error) {
	s, err := c.session()
	if err != nil {
		return store.Client{}, err
	}
	return s.reg, nil
}

// BaseURL returns the server base URL (8020 before startClient).
func (c *Client) BaseURL() (string, error) {
	s, err := c.session()
	if err != nil {
		return "", err
	}
	return s.base, nil
}

// Start validates cfg and registers the app instance with the server unless a
// registration with the same server is stored, in which case it is reused
// without a round trip. A stored registration with another server is dropped
// with all local profiles (they belong to that server).
func (c *Client) Start(ctx context.Context, cfg Config) error {
	base, pin, err := cfg.normalized()
	if err != nil {
		return err
	}
	c.startMu.Lock()
	defer c.startMu.Unlock()
	hc := c.httpFor(pin)
	stored, err := c.st.Client()
	if err != nil {
		return dispatch.Wrap(dispatch.CodeInternal, err, "reading the stored client registration failed")
	}
	if stored != nil && stored.ServerURL == base {
		if signer, err := keys.Load(c.ks, stored.KeyAlias); err == nil {
			c.install(&session{base: base, reg: *stored, signer: signer, http: hc})
			return nil
		}
		c.log.Warn().Msg("stored client registration has no key; registering again")
	}
	if stored != nil {
		c.resetLocal()
	}
	signer, err := keys.Generate(c.ks, keys.AliasClient)
	if err != nil {
		return dispatch.Wrap(dispatch.CodeInternal, err, "creating the client key failed")
	}
	pub, err := protocol.EncodePublicKey(signer.ECDSAPublic())
	if err != nil {
		return dispatch.Wrap(dispatch.CodeInternal, err, "encoding the client key failed")
	}
	s := &session{base: base, signer: signer, http: hc}
	req := protocol.ClientRegistrationRequest{
		AppID: cfg.AppID, AppVersion: cfg.AppVersion, Platform: c.set.Platform, ClientKey: pub, RedirectURI: cfg.RedirectURI,
	}
	var resp protocol.ClientRegistrationResponse
	if err := c.do(ctx, s, request{method: "POST", path: protocol.PathClients, body: req, registration: true}, &resp); err != nil {
		return err
	}
	if resp.ClientID == "" || resp.PinLength < 4 || resp.PinLength > 12 {
		return dispatch.Errorf(dispatch.CodeGeneral, "the server's client registration answer is incomplete")
	}
	s.reg = store.Client{
		ServerURL: base, ClientID: resp.ClientID, PinLength: resp.PinLength, AppID: cfg.AppID,
		AppVersion: cfg.AppVersion, RedirectURI: cfg.RedirectURI, KeyAlias: keys.AliasClient,
	}
	if err := c.st.SetClient(s.reg); err != nil {
		return dispatch.Wrap(dispatch.CodeInternal, err, "storing the client registration failed")
	}
	c.install(s)
	c.log.Info().Str("clientId", resp.ClientID).Msg("client registered")
	return nil
}

func (c *Client) install(s *session) {
	c.mu.Lock()
	c.cur = s
	c.mu.Unlock()
}

// resetLocal drops every local trace of the registration: stored state, the
// client key and the enrollment keys.
func (c *Client) resetLocal() {
	ps, err := c.st.Reset()
	if err != nil {
		c.log.Error().Err(err).Msg("resetting local state failed")
	}
	for _, p := range ps {
		_ = c.ks.DeleteKey(keys.MobileAuthAlias(p.ID))
	}
	_ = c.ks.DeleteKey(keys.AliasClient)
}

// deviceDeregistered handles invalid_client: the server no longer knows this
// app instance, so the local registration and profiles are dropped and the
// client must be started again.
func (c *Client) deviceDeregistered(s *session) {
	c.mu.Lock()
	if c.cur != s {
		c.mu.Unlock()
		return
	}
	c.cur = nil
	c.mu.Unlock()
	c.log.Warn().Msg("the server no longer knows this client; local registration removed")
	c.resetLocal()
}

// afterRequest releases the connection of a request that finished after
// Close (so no idle connection outlives the core).
func (c *Client) afterRequest(s *session) {
	if c.closed.Load() {
		s.http.close()
	}
}
