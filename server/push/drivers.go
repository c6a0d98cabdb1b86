package push

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/rs/zerolog"
)

// Driver names of a deployment.
const (
	DriverProviders = "providers" // each configured provider's real sender
	DriverLog       = "log"
	DriverNone      = "none"
)

// Config chooses the deployment's senders. With Driver "providers" (the
// default when any provider is configured) each configured provider gets its
// real driver and a push to an unconfigured provider fails; "log" and "none"
// take every provider.
type Config struct {
	Driver  string
	FCM     *FCMConfig
	APNs    *APNsConfig
	WebPush *WebPushConfig
}

// ErrDriver: an unknown driver name, or "providers" with none configured.
var ErrDriver = errors.New("push: driver must be providers, log or none (providers needs at least one provider configured)")

// Router sends each target through its provider's driver.
type Router struct {
	driver string
	by     map[string]Sender
	all    Sender // log or none: every provider
	vapid  string
}

// New builds the deployment's Router.
func New(cfg Config, log zerolog.Logger) (*Router, error) {
	driver := cfg.Driver
	if driver == "" {
		driver = DriverNone
		if cfg.FCM != nil || cfg.APNs != nil || cfg.WebPush != nil {
			driver = DriverProviders
		}
	}
	r := &Router{driver: driver, by: map[string]Sender{}}
	switch driver {
	case DriverLog:
		r.all = logSender{log: log}
		return r, nil
	case DriverNone:
		r.all = noneSender{}
		return r, nil
	case DriverProviders:
	default:
		return nil, ErrDriver
	}
	if cfg.FCM != nil {
		s, err := NewFCM(*cfg.FCM)
		if err != nil {
			return nil, err
		}
		r.by[ProviderFCM] = s
	}
	if cfg.APNs != nil {
		s, err := NewAPNs(*cfg.APNs)
		if err != nil {
			return nil, err
		}
		r.by[ProviderAPNs] = s
	}
	if cfg.WebPush != nil {
		s, err := NewWebPush(*cfg.WebPush)
		if err != nil {
			return nil, err
		}
		r.by[ProviderWebPush] = s
		r.vapid = s.PublicKey()
	}
	if len(r.by) == 0 {
		return nil, ErrDriver
	}
	return r, nil
}

// Driver is the deployment's driver name.
func (r *Router) Driver() string { return r.driver }

// Supports tells whether pushes to provider can be sent (log and none take
// all three).
func (r *Router) Supports(provider string) bool {
	if !KnownProvider(provider) {
		return false
	}
	if r.all != nil {
		return true
	}
	_, ok := r.by[provider]
	return ok
}

// Providers lists the providers this deployment sends to.
func (r *Router) Providers() []string {
	if r.all != nil {
		return []string{ProviderAPNs, ProviderFCM, ProviderWebPush}
	}
	var out []string
	for p := range r.by {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// VAPIDPublicKey is the webpush driver's application server key ("" when
// the driver is not configured).
func (r *Router) VAPIDPublicKey() string { return r.vapid }

// KnownProvider tells whether p is fcm, apns or webpush.
func KnownProvider(p string) bool {
	return p == ProviderFCM || p == ProviderAPNs || p == ProviderWebPush
}

// Send implements Sender.
func (r *Router) Send(ctx context.Context, t Target, m Message) Result {
	if r.all != nil {
		return r.all.Send(ctx, t, m)
	}
	s, ok := r.by[t.Provider]
	if !ok {
		return Result{Status: Failed, Reason: "provider_not_configured"}
	}
	return s.Send(ctx, t, m)
}

// logSender writes one line per push (provider and ids; never the token,
// the endpoint or the keys) and reports it delivered.
type logSender struct{ log zerolog.Logger }

func (l logSender) Send(_ context.Context, t Target, m Message) Result {
	l.log.Info().Str("provider", t.Provider).Str("transaction_id", m.TransactionID).
		Str("profile_id", m.ProfileID).Msg("push (log driver)")
	return Result{Status: Delivered, Reason: "log"}
}

// noneSender sends nothing; devices pull their pending requests.
type noneSender struct{}

func (noneSender) Send(context.Context, Target, Message) Result {
	return Result{Status: Delivered, Reason: "none"}
}

// FromEnv reads a Config from OMA_PUSH_* variables (getenv is os.Getenv in
// production). Secrets come from files (…_FILE) or the variables themselves;
// none is ever printed.
//
//	OMA_PUSH_DRIVER                 providers | log | none (default: providers when one is configured, else none)
//	OMA_PUSH_FCM_CREDENTIALS_FILE   service-account JSON key file (or OMA_PUSH_FCM_CREDENTIALS: the JSON)
//	OMA_PUSH_FCM_PROJECT            project id (default: the key's)
//	OMA_PUSH_FCM_ENDPOINT           default https://fcm.googleapis.com
//	OMA_PUSH_FCM_TOKEN_URL          default: the key's token_uri
//	OMA_PUSH_APNS_KEY_FILE          .p8 key file (or OMA_PUSH_APNS_KEY: the PEM)
//	OMA_PUSH_APNS_KEY_ID, OMA_PUSH_APNS_TEAM_ID, OMA_PUSH_APNS_TOPIC
//	OMA_PUSH_APNS_HOST              default https://api.push.apple.com
//	OMA_PUSH_APNS_PUSH_TYPE         alert (default) | background
//	OMA_PUSH_VAPID_PRIVATE_KEY_FILE VAPID private key file (or OMA_PUSH_VAPID_PRIVATE_KEY)
//	OMA_PUSH_VAPID_SUBJECT          mailto: or https: contact
//	OMA_PUSH_WEBPUSH_ALLOW_PRIVATE  1: allow http and private-address endpoints (development)
func FromEnv(getenv func(string) string) Config {
	if getenv == nil {
		getenv = os.Getenv
	}
	g := func(k string) string { return strings.TrimSpace(getenv("OMA_PUSH_" + k)) }
	cfg := Config{Driver: g("DRIVER")}
	if g("FCM_CREDENTIALS_FILE") != "" || g("FCM_CREDENTIALS") != "" {
		cfg.FCM = &FCMConfig{CredentialsFile: g("FCM_CREDENTIALS_FILE"), CredentialsJSON: []byte(g("FCM_CREDENTIALS")),
			ProjectID: g("FCM_PROJECT"), Endpoint: g("FCM_ENDPOINT"), TokenURL: g("FCM_TOKEN_URL")}
	}
	if g("APNS_KEY_FILE") != "" || g("APNS_KEY") != "" {
		cfg.APNs = &APNsConfig{KeyFile: g("APNS_KEY_FILE"), Key: []byte(g("APNS_KEY")), KeyID: g("APNS_KEY_ID"),
			TeamID: g("APNS_TEAM_ID"), Topic: g("APNS_TOPIC"), Host: g("APNS_HOST"), PushType: g("APNS_PUSH_TYPE")}
	}
	if g("VAPID_PRIVATE_KEY_FILE") != "" || g("VAPID_PRIVATE_KEY") != "" {
		allow := g("WEBPUSH_ALLOW_PRIVATE")
		cfg.WebPush = &WebPushConfig{VAPIDPrivateKeyFile: g("VAPID_PRIVATE_KEY_FILE"), VAPIDPrivateKey: g("VAPID_PRIVATE_KEY"),
			Subject: g("VAPID_SUBJECT"), AllowPrivateEndpoints: allow == "1" || allow == "true"}
	}
	return cfg
}

// String describes the configuration without any secret.
func (c Config) String() string {
	var p []string
	if c.FCM != nil {
		p = append(p, "fcm")
	}
	if c.APNs != nil {
		p = append(p, "apns")
	}
	if c.WebPush != nil {
		p = append(p, "webpush")
	}
	return fmt.Sprintf("push driver %q providers %v", c.Driver, p)
}
