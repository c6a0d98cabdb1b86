package client

import (
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/url"
	"runtime"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
)

// Defaults of the startClient parameters.
const (
	DefaultAppID       = "oma-app"
	DefaultAppVersion  = "1.0.0"
	DefaultRedirectURI = "oma-app://registration/callback"
)

// Config is the configuration startClient takes. The app's configuration file
// (passed by the native side at Start, DESIGN §11) is one too: it supplies every
// field a startClient call leaves out.
type Config struct {
	ServerURL         string
	AppID             string
	AppVersion        string
	RedirectURI       string
	AllowInsecureHTTP bool
	// PinnedCertSHA256 is base64 (standard or URL alphabet) SHA-256 of the server
	// certificate's SubjectPublicKeyInfo; empty means no pin.
	PinnedCertSHA256 string
}

// Settings is what a core knows about its app before any startClient call.
type Settings struct {
	// Platform is reported at client registration ("android", "ios",
	// "desktop", ...); empty means "desktop".
	Platform string
	// Defaults is the app's configuration: startClient uses it for every
	// parameter the call leaves out.
	Defaults Config
}

// DefaultPlatform is the platform a core reports when its configuration names
// none: the build's ("android", "ios", else "desktop").
func DefaultPlatform() string { return platformOf(runtime.GOOS) }

// ConfigFromParams is the Config of startClient's params over base (the app
// configuration given at start): every parameter given (non-empty) replaces
// base's field, allowInsecureHttp is on when either turns it on, and the
// defaults fill what is still empty. A serverUrl in neither is an 8001 at Start.
func ConfigFromParams(p api.StartClientParams, base Config) Config {
	cfg := base
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&cfg.ServerURL, p.ServerURL}, {&cfg.AppID, p.AppID}, {&cfg.AppVersion, p.AppVersion},
		{&cfg.RedirectURI, p.RedirectURI}, {&cfg.PinnedCertSHA256, p.PinnedCertSHA256},
	} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	cfg.AllowInsecureHTTP = cfg.AllowInsecureHTTP || p.AllowInsecureHTTP
	return cfg.WithDefaults()
}

// WithDefaults returns cfg with the built-in defaults in its empty fields.
func (cfg Config) WithDefaults() Config {
	for _, f := range []struct {
		dst *string
		def string
	}{{&cfg.AppID, DefaultAppID}, {&cfg.AppVersion, DefaultAppVersion}, {&cfg.RedirectURI, DefaultRedirectURI}} {
		if *f.dst == "" {
			*f.dst = f.def
		}
	}
	return cfg
}

// Validate checks a complete configuration (defaults applied) the way
// startClient does, without contacting the server: 8001 naming the field.
func (cfg Config) Validate() error {
	_, _, err := cfg.normalized()
	return err
}

// normalized validates cfg and returns the server base URL (no trailing slash)
// and the decoded pin (nil when none).
func (cfg Config) normalized() (string, []byte, error) {
	if strings.TrimSpace(cfg.ServerURL) == "" {
		return "", nil, dispatch.Errorf(dispatch.CodeConfiguration, "serverUrl is missing: pass it to startClient or put it in the app configuration")
	}
	u, err := url.Parse(strings.TrimSpace(cfg.ServerURL))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return "", nil, dispatch.Errorf(dispatch.CodeConfiguration, "serverUrl must be an absolute http(s) URL without query, fragment or credentials")
	}
	if u.Scheme == "http" && !cfg.AllowInsecureHTTP && !IsLoopback(u.Hostname()) {
		return "", nil, dispatch.Errorf(dispatch.CodeConfiguration, "serverUrl must use https (plain http is only allowed for loopback hosts or with allowInsecureHttp)")
	}
	var pin []byte
	if cfg.PinnedCertSHA256 != "" {
		s := strings.TrimRight(cfg.PinnedCertSHA256, "=")
		pin, err = base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			pin, err = base64.RawURLEncoding.DecodeString(s)
		}
		if err != nil || len(pin) != sha256.Size {
			return "", nil, dispatch.Errorf(dispatch.CodeConfiguration, "pinnedCertSha256 must be base64 of a SHA-256 digest")
		}
		if u.Scheme != "https" {
			return "", nil, dispatch.Errorf(dispatch.CodeConfiguration, "pinnedCertSha256 needs an https serverUrl")
		}
	}
	for _, f := range []struct{ name, v string }{{"appId", cfg.AppID}, {"appVersion", cfg.AppVersion}} {
		if len(f.v) > 128 || strings.ContainsAny(f.v, "\r\n") {
			return "", nil, dispatch.Errorf(dispatch.CodeConfiguration, "%s must be a single line of at most 128 characters", f.name)
		}
	}
	if r, err := url.Parse(cfg.RedirectURI); err != nil || r.Scheme == "" {
		return "", nil, dispatch.Errorf(dispatch.CodeConfiguration, "redirectUri must be an absolute URI")
	}
	base := u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/")
	return base, pin, nil
}

// IsLoopback reports whether host (no port) is a loopback name or address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
