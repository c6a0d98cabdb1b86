package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/store"
)

// API clients (DESIGN §5, §10; issue 11 item 8): the Basic-auth secret is
// generated (32 random bytes) unless the operator gives one of at least
// MinAPISecretLen characters, and only its hash is stored; callbacks are
// signed with a separate, rotatable callback key.

// MinAPISecretLen is the minimum length of an operator-given API secret.
const MinAPISecretLen = 32

// CallbackPolicy relaxes the callback URI rules for one API client.
type CallbackPolicy struct {
	// AllowHTTP allows plain http to hosts other than loopback.
	AllowHTTP bool
	// AllowPrivate allows literal private, link-local, unique-local,
	// unspecified and multicast addresses (and "localhost"-like names are
	// always loopback: allowed).
	AllowPrivate bool
}

// APIClientSpec describes an API client to create.
type APIClientSpec struct {
	ID            string
	Secret        string // generated when empty; else at least MinAPISecretLen characters
	CallbackURIs  []string
	MaxMessageLen int
	Callbacks     CallbackPolicy
}

// APIClientCredentials are shown once when a client is created or rotated:
// only the secret's hash is stored.
type APIClientCredentials struct {
	ID            string
	Secret        string
	CallbackKeyID string
	CallbackKey   string
}

// checkCallbackURI enforces the callback URI rules: an absolute https URL,
// or http to a loopback host; no literal private or link-local address;
// no user info or fragment. pol relaxes the first two.
func checkCallbackURI(u string, pol CallbackPolicy) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.Opaque != "" {
		return fmt.Errorf("callback URI %q must be an absolute http(s) URL", u)
	}
	if p.User != nil || p.Fragment != "" {
		return fmt.Errorf("callback URI %q must not carry user info or a fragment", u)
	}
	host := strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
	addr, ipErr := netip.ParseAddr(host)
	loopback := host == "localhost" || strings.HasSuffix(host, ".localhost") || (ipErr == nil && addr.Unmap().IsLoopback())
	if p.Scheme == "http" && !loopback && !pol.AllowHTTP {
		return fmt.Errorf("callback URI %q must use https (plain http only to a loopback address, or with --allow-http-callbacks)", u)
	}
	if ipErr != nil {
		if net.ParseIP(host) != nil || strings.Trim(host, "0123456789.") == "" {
			return fmt.Errorf("callback URI %q: unusual IP address form", u) // e.g. 0x7f.1 or 2130706433
		}
		return nil
	}
	a := addr.Unmap()
	if !loopback && !pol.AllowPrivate && (a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsUnspecified() || a.IsMulticast() || a.IsInterfaceLocalMulticast()) {
		return fmt.Errorf("callback URI %q points at a private, link-local or unspecified address (allow with --allow-private-callbacks)", u)
	}
	return nil
}

func newCallbackKey() (id, key string) {
	return "k" + protocol.RandomToken(6), protocol.RandomToken(32)
}

// CreateAPIClient creates an API client and returns its credentials (the
// secret is not stored, only its hash: this is the one chance to read it).
func (a *Admin) CreateAPIClient(ctx context.Context, spec APIClientSpec) (APIClientCredentials, error) {
	if spec.ID == "" || len(spec.ID) > 128 || strings.ContainsAny(spec.ID, ": \t\n") {
		return APIClientCredentials{}, errors.New("API client id must be 1..128 characters without ':' or spaces")
	}
	for _, u := range spec.CallbackURIs {
		if err := checkCallbackURI(u, spec.Callbacks); err != nil {
			return APIClientCredentials{}, err
		}
	}
	if err := checkGivenSecret(spec.Secret); err != nil {
		return APIClientCredentials{}, err
	}
	cr := APIClientCredentials{ID: spec.ID, Secret: spec.Secret}
	if cr.Secret == "" {
		cr.Secret = protocol.RandomToken(32)
	}
	cr.CallbackKeyID, cr.CallbackKey = newCallbackKey()
	sealed, err := a.Keys.Seal(atrest.PurposeCallbackKey, spec.ID, cr.CallbackKey)
	if err != nil {
		return APIClientCredentials{}, err
	}
	err = a.Store.InTx(ctx, func(tx store.Tx) error {
		return tx.CreateAPIClient(ctx, store.APIClient{ID: spec.ID, SecretHash: store.HashAPISecret(cr.Secret), CallbackKey: sealed, CallbackKeyID: cr.CallbackKeyID,
			CallbackURIs: spec.CallbackURIs, MaxMessageLen: spec.MaxMessageLen, CreatedAt: time.Now().UnixMilli()})
	})
	a.notify()
	if err != nil {
		return APIClientCredentials{}, err
	}
	return cr, nil
}

func checkGivenSecret(s string) error {
	if s != "" && (len(s) < MinAPISecretLen || len(s) > 256 || strings.ContainsAny(s, " \t\r\n")) {
		return fmt.Errorf("an API secret must be %d..256 characters without spaces (or leave it out to have one generated)", MinAPISecretLen)
	}
	return nil
}

// RotateSecret replaces an API client's secret (generated when secret is
// empty) and returns the new one; the old one stops working at once on
// this server and within the client cache's 2 s on other instances.
func (a *Admin) RotateSecret(ctx context.Context, id, secret string) (string, error) {
	if err := checkGivenSecret(secret); err != nil {
		return "", err
	}
	if secret == "" {
		secret = protocol.RandomToken(32)
	}
	err := a.updateAPIClient(ctx, id, func(c *store.APIClient) { c.SecretHash = store.HashAPISecret(secret) })
	if err != nil {
		return "", err
	}
	return secret, nil
}

// RotateCallbackKey gives an API client a new callback key and returns it
// with its id; callbacks are signed with it from the next delivery on (a
// receiver keeps the old key until then, choosing by X-OMA-Key-Id).
func (a *Admin) RotateCallbackKey(ctx context.Context, id string) (keyID, key string, err error) {
	keyID, key = newCallbackKey()
	sealed, err := a.Keys.Seal(atrest.PurposeCallbackKey, id, key)
	if err != nil {
		return "", "", err
	}
	err = a.updateAPIClient(ctx, id, func(c *store.APIClient) { c.CallbackKeyID, c.CallbackKey = keyID, sealed })
	if err != nil {
		return "", "", err
	}
	return keyID, key, nil
}

// CallbackKey returns an API client's current callback key and its id (the
// key is needed readable to sign; the operator hands it to the receiver).
func (a *Admin) CallbackKey(ctx context.Context, id string) (keyID, key string, err error) {
	err = a.Store.View(ctx, func(tx store.Tx) error {
		c, err := tx.GetAPIClient(ctx, id)
		keyID, key = c.CallbackKeyID, c.CallbackKey
		return err
	})
	if err != nil {
		return "", "", err
	}
	key, err = a.Keys.Open(atrest.PurposeCallbackKey, id, key)
	return keyID, key, err
}

func (a *Admin) updateAPIClient(ctx context.Context, id string, fn func(*store.APIClient)) error {
	defer a.notify()
	return a.Store.InTx(ctx, func(tx store.Tx) error {
		c, err := tx.GetAPIClient(ctx, id)
		if err != nil {
			return err
		}
		fn(&c)
		return tx.UpdateAPIClient(ctx, c)
	})
}

// AddCallbackURIs allows more callback URIs for an API client (https, or
// http to loopback; no literal private or link-local address).
func (a *Admin) AddCallbackURIs(ctx context.Context, id string, uris ...string) error {
	return a.AddCallbackURIsWith(ctx, id, CallbackPolicy{}, uris...)
}

// AddCallbackURIsWith is AddCallbackURIs with relaxed rules.
func (a *Admin) AddCallbackURIsWith(ctx context.Context, id string, pol CallbackPolicy, uris ...string) error {
	for _, u := range uris {
		if err := checkCallbackURI(u, pol); err != nil {
			return err
		}
	}
	return a.updateAPIClient(ctx, id, func(c *store.APIClient) {
		for _, u := range uris {
			if !contains(c.CallbackURIs, u) {
				c.CallbackURIs = append(c.CallbackURIs, u)
			}
		}
	})
}

// ListAPIClients lists the API clients (secrets are stored hashed; callback
// keys are in the rows: the caller decides what to show).
func (a *Admin) ListAPIClients(ctx context.Context) ([]store.APIClient, error) {
	var out []store.APIClient
	err := a.Store.View(ctx, func(tx store.Tx) error {
		var err error
		out, err = tx.ListAPIClients(ctx)
		return err
	})
	return out, err
}

// settingDemoSecret keeps the demo API client's secret readable so that
// every start and instance of a demo returns the same one. Only the demo
// client (seeded by `tokenserver demo` / `serve --demo`, never in
// production) has this exception to hashed secrets.
const settingDemoSecret = "demo_api_client_secret"

// demoAPIClient returns the demo API client's secret and callback key,
// creating the client (or, for one created before secrets were hashed, taking
// the old secret over from its "legacy" callback key).
func demoAPIClient(ctx context.Context, tx store.Tx, keys *atrest.Keys) (secret, callbackKey string, err error) {
	c, err := tx.GetAPIClient(ctx, DemoAPIClientID)
	if errors.Is(err, store.ErrNotFound) {
		secret = protocol.RandomToken(32)
		kid, key := newCallbackKey()
		sealed, err := keys.Seal(atrest.PurposeCallbackKey, DemoAPIClientID, key)
		if err != nil {
			return "", "", err
		}
		c = store.APIClient{ID: DemoAPIClientID, SecretHash: store.HashAPISecret(secret), CallbackKey: sealed, CallbackKeyID: kid, CallbackURIs: []string{}, CreatedAt: time.Now().UnixMilli()}
		if err := tx.CreateAPIClient(ctx, c); err != nil {
			return "", "", err
		}
		return secret, key, tx.PutSetting(ctx, settingDemoSecret, secret)
	} else if err != nil {
		return "", "", err
	}
	if c.CallbackKey, err = keys.Open(atrest.PurposeCallbackKey, c.ID, c.CallbackKey); err != nil {
		return "", "", err
	}
	secret, err = tx.GetSetting(ctx, settingDemoSecret)
	if err == nil && store.VerifyAPISecret(c.SecretHash, secret) {
		return secret, c.CallbackKey, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", "", err
	}
	// Seeded before secrets were hashed (migration 0005 kept the old secret
	// as the "legacy" callback key), or the secret was rotated by hand.
	if c.CallbackKeyID == "legacy" && store.VerifyAPISecret(c.SecretHash, c.CallbackKey) {
		secret = c.CallbackKey
	} else {
		secret = protocol.RandomToken(32)
		c.SecretHash = store.HashAPISecret(secret)
		stored := c
		if stored.CallbackKey, err = keys.Seal(atrest.PurposeCallbackKey, c.ID, c.CallbackKey); err != nil {
			return "", "", err
		}
		if err := tx.UpdateAPIClient(ctx, stored); err != nil {
			return "", "", err
		}
	}
	return secret, c.CallbackKey, tx.PutSetting(ctx, settingDemoSecret, secret)
}
