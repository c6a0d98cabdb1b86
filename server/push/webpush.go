package push

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	webpushgo "github.com/SherClockHolmes/webpush-go"

	"github.com/openmobileauth/oma/server/egress"
)

// WebPushConfig configures the webpush driver (RFC 8030 + RFC 8291 + RFC 8292).
type WebPushConfig struct {
	// The VAPID key pair's private scalar, base64url (as web-push tools
	// print it): from VAPIDPrivateKeyFile or VAPIDPrivateKey (an environment
	// variable). A secret: never logged. The public key is derived from it;
	// apps pass it as applicationServerKey when they subscribe.
	VAPIDPrivateKeyFile string
	VAPIDPrivateKey     string
	// Subject is the VAPID "sub" claim (RFC 8292 §2.1): a mailto: or https:
	// contact for the push service's operator. Required.
	Subject string
	// AllowPrivateEndpoints lets subscriptions point at http:// URLs and at
	// loopback or private addresses (development, the terminal phone, tests).
	// Off, only https:// endpoints on public addresses are contacted: a
	// subscription endpoint comes from a device and must not make the server
	// reach into its own network.
	AllowPrivateEndpoints bool
	Timeout               time.Duration // per request (default 10 s)
	// OnEgressRefused is told each endpoint address the egress guard
	// refused (the server counts and logs it); may be nil.
	OnEgressRefused func(purpose string, err *egress.RefusedError) `json:"-"`
}

// Errors of the webpush configuration.
var (
	ErrVAPIDKey     = errors.New("push: webpush: the VAPID private key is missing or not a base64url P-256 scalar")
	ErrVAPIDSubject = errors.New("push: webpush: the VAPID subject must be a mailto: or https: URI")
)

// WebPush sends RFC 8030 push messages encrypted for the subscription.
type WebPush struct {
	priv, pub string // base64url, as webpush-go takes them
	subject   string
	client    *http.Client
	private   bool
	now       func() time.Time
}

// NewWebPush checks the VAPID key and prepares the HTTP client.
func NewWebPush(cfg WebPushConfig) (*WebPush, error) {
	raw := strings.TrimSpace(cfg.VAPIDPrivateKey)
	if raw == "" && cfg.VAPIDPrivateKeyFile != "" {
		b, err := os.ReadFile(cfg.VAPIDPrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("push: webpush: reading the VAPID key file: %w", err)
		}
		raw = strings.TrimSpace(string(b))
	}
	d, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(raw, "="))
	if err != nil {
		return nil, ErrVAPIDKey
	}
	k, err := ecdh.P256().NewPrivateKey(d)
	if err != nil {
		return nil, ErrVAPIDKey
	}
	if !strings.HasPrefix(cfg.Subject, "mailto:") && !strings.HasPrefix(cfg.Subject, "https://") {
		return nil, ErrVAPIDSubject
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	// A subscription endpoint comes from a device: every connection goes
	// through the egress guard (server/egress), which refuses loopback,
	// private, link-local and other internal addresses at dial time unless
	// AllowPrivateEndpoints; no redirect is followed.
	client := egress.NewClient(egress.Options{AllowPrivate: cfg.AllowPrivateEndpoints, Purpose: "webpush",
		OnRefused: cfg.OnEgressRefused, Timeout: timeout})
	return &WebPush{
		priv:    base64.RawURLEncoding.EncodeToString(k.Bytes()),
		pub:     base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes()),
		subject: cfg.Subject,
		client:  client,
		private: cfg.AllowPrivateEndpoints,
		now:     time.Now,
	}, nil
}

// PublicKey is the VAPID public key (base64url uncompressed point), the
// applicationServerKey a client subscribes with.
func (w *WebPush) PublicKey() string { return w.pub }

// CheckEndpoint tells whether a subscription endpoint may be stored: an
// absolute https URL (http too when private endpoints are allowed), no user
// info, no fragment, at most 1024 octets, and no literal loopback, private,
// link-local or other internal address unless private endpoints are allowed.
func CheckEndpoint(endpoint string, allowPrivate bool) error {
	if err := checkEndpointForm(endpoint, allowPrivate); err != nil {
		return err
	}
	// A literal internal address is refused at registration already; names
	// are judged when dialled (server/egress).
	if egress.CheckURL(endpoint, allowPrivate) != nil {
		return ErrBadEndpoint
	}
	return nil
}

// checkEndpointForm is CheckEndpoint without the address check (Send
// leaves that to the dial-time guard, which counts and logs refusals).
func checkEndpointForm(endpoint string, allowPrivate bool) error {
	if len(endpoint) > 1024 {
		return ErrBadEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return ErrBadEndpoint
	}
	if u.Scheme != "https" && !(allowPrivate && u.Scheme == "http") {
		return ErrBadEndpoint
	}
	return nil
}

// ErrBadEndpoint: not a usable Web Push endpoint.
var ErrBadEndpoint = errors.New("push: webpush: endpoint must be an absolute https URL")

// Send encrypts the ids for the subscription and posts them to its endpoint
// (RFC 8030 §5), with a VAPID authorization (RFC 8292 §3) and TTL until the
// request expires.
func (w *WebPush) Send(ctx context.Context, t Target, m Message) Result {
	if checkEndpointForm(t.Endpoint, w.private) != nil || t.P256dh == "" || t.Auth == "" {
		return Result{Status: TokenInvalid, Reason: "webpush_bad_subscription"}
	}
	if _, err := ecdh.P256().NewPublicKey(decodeB64(t.P256dh)); err != nil || len(decodeB64(t.Auth)) != 16 {
		return Result{Status: TokenInvalid, Reason: "webpush_bad_subscription"}
	}
	body, _ := json.Marshal(m.Data())
	resp, err := webpushgo.SendNotificationWithContext(ctx, body,
		&webpushgo.Subscription{Endpoint: t.Endpoint, Keys: webpushgo.Keys{P256dh: t.P256dh, Auth: t.Auth}},
		&webpushgo.Options{
			HTTPClient: w.client,
			// webpush-go adds "mailto:" to anything not https:, so it gets the
			// address alone.
			Subscriber:      strings.TrimPrefix(w.subject, "mailto:"),
			TTL:             int(m.ttl(w.now()) / time.Second),
			Urgency:         webpushgo.UrgencyHigh,
			VAPIDPublicKey:  w.pub,
			VAPIDPrivateKey: w.priv,
		})
	if err != nil {
		if errors.Is(err, egress.ErrRefused) {
			return Result{Status: TokenInvalid, Reason: "webpush_private_address"}
		}
		return transportFailure("webpush", ctx)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300: // 201 Created (RFC 8030 §5)
		return Result{Status: Delivered}
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		// RFC 8030 §7.3: the subscription expired or was removed.
		return Result{Status: TokenInvalid, Reason: fmt.Sprintf("webpush_http_%d", resp.StatusCode)}
	}
	return byStatus("webpush", resp.StatusCode, resp.Header, w.now())
}

func decodeB64(s string) []byte {
	s = strings.TrimRight(s, "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b
	}
	b, _ := base64.RawStdEncoding.DecodeString(s)
	return b
}
