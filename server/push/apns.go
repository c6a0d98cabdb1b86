package push

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sideshow/apns2"
	"github.com/sideshow/apns2/token"
	"golang.org/x/net/http2"
)

// APNs push types this driver sends (the apns-push-type header).
const (
	APNsAlert      = "alert"
	APNsBackground = "background"
)

// DefaultAPNsAlertKey is the localization key of the alert an "alert" push
// shows; the app's Localizable.strings holds the words. It is a key, not the
// request's message, which never travels in a push.
const DefaultAPNsAlertKey = "OG_MOBILE_AUTH_REQUEST"

// APNsConfig configures the apns driver (token-based provider
// authentication).
type APNsConfig struct {
	KeyFile  string // the .p8 signing key (PKCS#8 PEM); or Key
	Key      []byte // a secret: never logged
	KeyID    string // the key's id (the JWT "kid")
	TeamID   string // the developer team (the JWT "iss")
	Topic    string // the app's bundle id (apns-topic)
	Host     string // default apns2.HostProduction; tests: a loopback server
	PushType string // alert (default) or background
	AlertKey string // loc-key of an alert push (default DefaultAPNsAlertKey)
	// RootCAs trusts these roots instead of the system's (tests).
	RootCAs *x509.CertPool
	Timeout time.Duration // per request (default 10 s)
}

// Errors of the apns configuration.
var (
	ErrAPNsKey    = errors.New("push: apns: the .p8 key is missing or not a PKCS#8 P-256 key")
	ErrAPNsConfig = errors.New("push: apns: key id, team id and topic are required")
	ErrAPNsType   = errors.New("push: apns: push type must be alert or background")
)

// APNs sends through the Apple Push Notification service.
type APNs struct {
	client   *apns2.Client
	topic    string
	pushType apns2.EPushType
	alertKey string
	now      func() time.Time
}

// NewAPNs loads the key and prepares an HTTP/2 client; nothing is sent yet.
func NewAPNs(cfg APNsConfig) (*APNs, error) {
	raw := cfg.Key
	if len(raw) == 0 && cfg.KeyFile != "" {
		b, err := os.ReadFile(cfg.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("push: apns: reading the key file: %w", err)
		}
		raw = b
	}
	key, err := token.AuthKeyFromBytes(raw)
	if err != nil {
		return nil, ErrAPNsKey
	}
	if cfg.KeyID == "" || cfg.TeamID == "" || cfg.Topic == "" {
		return nil, ErrAPNsConfig
	}
	pt := apns2.PushTypeAlert
	switch cfg.PushType {
	case "", APNsAlert:
	case APNsBackground:
		pt = apns2.PushTypeBackground
	default:
		return nil, ErrAPNsType
	}
	c := apns2.NewTokenClient(&token.Token{AuthKey: key, KeyID: cfg.KeyID, TeamID: cfg.TeamID})
	c.Host = apns2.HostProduction
	if cfg.Host != "" {
		c.Host = strings.TrimRight(cfg.Host, "/")
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	// Our own HTTP/2 transport: TLS 1.2+ against the given or system roots,
	// with the health-check pings apns2 uses.
	c.HTTPClient = &http.Client{
		Timeout: timeout,
		Transport: &http2.Transport{
			TLSClientConfig: &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
			ReadIdleTimeout: apns2.ReadIdleTimeout,
		},
	}
	ak := cfg.AlertKey
	if ak == "" {
		ak = DefaultAPNsAlertKey
	}
	return &APNs{client: c, topic: cfg.Topic, pushType: pt, alertKey: ak, now: time.Now}, nil
}

// apnsPayload builds the JSON payload: the aps dictionary and the ids.
func (a *APNs) apnsPayload(m Message) []byte {
	p := map[string]any{}
	for k, v := range m.Data() {
		p[k] = v
	}
	if a.pushType == apns2.PushTypeBackground {
		p["aps"] = map[string]any{"content-available": 1}
	} else {
		// mutable-content lets a notification service extension fetch the
		// request (over DPoP) and show its message in the notification.
		p["aps"] = map[string]any{"alert": map[string]any{"loc-key": a.alertKey}, "mutable-content": 1}
	}
	b, _ := json.Marshal(p)
	return b
}

// Send posts one notification to /3/device/<token>.
func (a *APNs) Send(ctx context.Context, t Target, m Message) Result {
	if !validAPNsToken(t.Token) {
		return Result{Status: TokenInvalid, Reason: "apns_no_token"}
	}
	n := &apns2.Notification{
		DeviceToken: t.Token,
		Topic:       a.topic,
		PushType:    a.pushType,
		Payload:     a.apnsPayload(m),
		Expiration:  a.now().Add(m.ttl(a.now())),
		Priority:    apns2.PriorityHigh,
		CollapseID:  m.TransactionID,
	}
	if a.pushType == apns2.PushTypeBackground {
		n.Priority = apns2.PriorityLow // Apple requires 5 for background pushes
	}
	resp, err := a.client.PushWithContext(ctx, n)
	if err != nil {
		return transportFailure("apns", ctx)
	}
	if resp.Sent() {
		return Result{Status: Delivered}
	}
	reason := reasonCode("apns", resp.Reason)
	switch {
	case resp.StatusCode == http.StatusGone,
		resp.Reason == apns2.ReasonBadDeviceToken,
		resp.Reason == apns2.ReasonDeviceTokenNotForTopic,
		resp.Reason == apns2.ReasonUnregistered:
		return Result{Status: TokenInvalid, Reason: reason}
	case resp.Reason == apns2.ReasonExpiredProviderToken:
		return Result{Status: Retry, Reason: reason} // apns2 makes a new token
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return Result{Status: Retry, Reason: reason}
	}
	return Result{Status: Failed, Reason: reason}
}

// validAPNsToken: a device token is hex (32 octets today; Apple says treat
// the length as variable). It goes into the request path, so nothing else is
// allowed.
func validAPNsToken(s string) bool {
	if len(s) < 16 || len(s) > 400 || len(s)%2 != 0 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
