package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
)

// Config is the one SDK configuration the native side passes at Start, as a
// JSON object (DESIGN §11). Every field is optional:
//
//	{
//	  "platform": "android",            // reported at client registration; default "desktop"
//	  "dataDir": "/data/.../files/oma", // where the pure-Go capabilities keep their files
//	  "logLevel": "warn",               // debug, info, warn, error, disabled; default warn
//	  "logFile": "",                    // default standard error
//	  "maxRequestSize": 1048576,        // largest request envelope; default 1 MiB
//	  "flowTimeoutMs": 300000,          // bound of every wait for the app or user; default 5 min
//	  "app": {                          // the app's configuration file (oma-config.json)
//	    "serverUrl": "https://auth.example.com", "appId": "example-bank", "appVersion": "2.1.0",
//	    "redirectUri": "examplebank://registration/callback",
//	    "pinnedCertSha256": "<base64 SHA-256 of the server key's SPKI>", "allowInsecureHttp": false
//	  }
//	}
//
// startClient() with no arguments uses "app"; arguments override it field by field.
type Config struct {
	Platform       string    `json:"platform"`
	DataDir        string    `json:"dataDir"`
	LogLevel       string    `json:"logLevel"`
	LogFile        string    `json:"logFile"`
	MaxRequestSize int       `json:"maxRequestSize"`
	FlowTimeoutMs  int64     `json:"flowTimeoutMs"`
	App            AppConfig `json:"app"`
	// SoftBiometric scripts the pure-Go biometric (device.SoftBiometric):
	// the outcomes its next prompts play, comma-separated, in order
	// (success, fail, cancel, lockout, changed; then success). Only where
	// the core builds that biometric itself (desktop, tests, the terminal
	// phone, bridgehost); a platform key store ignores it.
	SoftBiometric string `json:"softBiometric"`
}

// AppConfig is the app's configuration: the startClient parameters an app
// ships with (Android asset / iOS bundle resource oma-config.json).
type AppConfig struct {
	ServerURL         string `json:"serverUrl"`
	AppID             string `json:"appId"`
	AppVersion        string `json:"appVersion"`
	RedirectURI       string `json:"redirectUri"`
	PinnedCertSHA256  string `json:"pinnedCertSha256"`
	AllowInsecureHTTP bool   `json:"allowInsecureHttp"`
}

// Client returns the app configuration as startClient defaults.
func (a AppConfig) Client() client.Config {
	return client.Config{
		ServerURL: a.ServerURL, AppID: a.AppID, AppVersion: a.AppVersion, RedirectURI: a.RedirectURI,
		PinnedCertSHA256: a.PinnedCertSHA256, AllowInsecureHTTP: a.AllowInsecureHTTP,
	}
}

// Log levels a configuration may name.
var logLevels = map[string]bool{"debug": true, "info": true, "warn": true, "error": true, "disabled": true}

// platformPattern: a short lowercase word ("android", "ios", "desktop", "web", "cli", ...).
var platformPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// maxFlowTimeout bounds flowTimeoutMs (a day).
const maxFlowTimeout = 24 * time.Hour

// ParseConfig reads and checks a configuration. An empty text is the empty
// object. Anything wrong (not an object, an unknown or mistyped field, a bad
// value, an app configuration startClient would refuse) is an 8001 error
// naming the field.
func ParseConfig(text string) (Config, error) {
	var cfg Config
	if strings.TrimSpace(text) == "" {
		text = "{}"
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, configError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Config{}, dispatch.Errorf(dispatch.CodeConfiguration, "configuration must be one JSON object")
	}
	if !bytes.HasPrefix(bytes.TrimSpace([]byte(text)), []byte("{")) {
		return Config{}, dispatch.Errorf(dispatch.CodeConfiguration, "configuration must be a JSON object")
	}
	return cfg, cfg.Check()
}

// Check validates a configuration (ParseConfig calls it).
func (cfg Config) Check() error {
	if cfg.Platform != "" && !platformPattern.MatchString(cfg.Platform) {
		return dispatch.Errorf(dispatch.CodeConfiguration, "platform must be a short lowercase name such as \"android\", \"ios\" or \"desktop\"")
	}
	if cfg.LogLevel != "" && !logLevels[cfg.LogLevel] {
		return dispatch.Errorf(dispatch.CodeConfiguration, "logLevel must be one of debug, info, warn, error, disabled")
	}
	if cfg.MaxRequestSize < 0 {
		return dispatch.Errorf(dispatch.CodeConfiguration, "maxRequestSize must not be negative")
	}
	if cfg.FlowTimeoutMs < 0 || time.Duration(cfg.FlowTimeoutMs)*time.Millisecond > maxFlowTimeout {
		return dispatch.Errorf(dispatch.CodeConfiguration, "flowTimeoutMs must be between 0 (the default, 5 minutes) and one day")
	}
	for _, o := range cfg.SoftBiometricScript() {
		if !device.IsSoftBiometricOutcome(o) {
			return dispatch.Errorf(dispatch.CodeConfiguration, "softBiometric: each outcome must be success, fail, cancel, lockout or changed")
		}
	}
	if cfg.App.ServerURL != "" {
		if err := cfg.App.Client().WithDefaults().Validate(); err != nil {
			e := dispatch.AsError(err)
			return dispatch.Errorf(dispatch.CodeConfiguration, "app configuration: %s", e.Message)
		}
	}
	return nil
}

// SoftBiometricScript is SoftBiometric as a list (nil when empty).
func (cfg Config) SoftBiometricScript() []string {
	if cfg.SoftBiometric == "" {
		return nil
	}
	return strings.Split(cfg.SoftBiometric, ",")
}

// FlowTimeout is the configured bound of every wait for the app or the user.
func (cfg Config) FlowTimeout() time.Duration {
	if cfg.FlowTimeoutMs == 0 {
		return 0
	}
	return time.Duration(cfg.FlowTimeoutMs) * time.Millisecond
}

func configError(err error) *dispatch.Error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field == "":
		return dispatch.Errorf(dispatch.CodeConfiguration, "configuration must be a JSON object")
	case errors.As(err, &te):
		return dispatch.Errorf(dispatch.CodeConfiguration, "configuration field %q must be %s", te.Field, kindOf(te.Type.Kind().String()))
	case errors.As(err, &se), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return dispatch.Errorf(dispatch.CodeConfiguration, "configuration is not valid JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return dispatch.Errorf(dispatch.CodeConfiguration, "configuration has an unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return dispatch.Errorf(dispatch.CodeConfiguration, "configuration cannot be read")
}

func kindOf(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "struct":
		return "an object"
	case "int", "int64":
		return "an integer"
	default:
		return "a number"
	}
}
