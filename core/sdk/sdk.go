package sdk

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/redact"
	"github.com/rs/zerolog"
)

// Deps is what feature packages get when they register their methods.
type Deps struct {
	// Dispatcher is the method table and event emitter.
	Dispatcher *dispatch.Dispatcher
	// Storage is the secure key-value storage capability.
	Storage device.Storage
	// Keys is the hardware key store capability.
	Keys device.KeyStore
	// Biometric is the user-verified key store (nil: no biometric authenticator).
	Biometric device.UserVerifiedKeyStore
	// Log is the redacting logger.
	Log *zerolog.Logger
	// Client is the platform and the app configuration (startClient defaults).
	Client client.Settings
	// FlowTimeout bounds every wait for the app or the user (0: flow.DefaultTimeout).
	FlowTimeout time.Duration
}

// Registrar registers a feature package's methods. Feature packages add theirs to
// the registrars list (see features.go).
type Registrar func(d *Deps) error

// Options configures New.
type Options struct {
	// Storage and Keys are the device capabilities (required).
	Storage device.Storage
	Keys    device.KeyStore
	// Biometric is the optional user-verified key store of the biometric
	// authenticator (issue 15); nil: the device offers none.
	Biometric device.UserVerifiedKeyStore
	// Sink receives events (and the responses of HandleAsync).
	Sink dispatch.Sink
	// Logger is a redacting logger from redact.NewLogger; nil means no logging.
	Logger *zerolog.Logger
	// MaxRequestSize limits envelopes; 0 means the dispatcher default.
	MaxRequestSize int
	// Client is the platform reported at client registration and the app
	// configuration startClient falls back to.
	Client client.Settings
	// FlowTimeout bounds every wait for the app or the user; 0 means
	// flow.DefaultTimeout.
	FlowTimeout time.Duration
}

// SDK is one running core.
type SDK struct {
	d       *dispatch.Dispatcher
	logFile io.Closer             // the log file Start opened; closed by Close
	soft    *device.SoftBiometric // the pure-Go biometric Start made, if any
}

// New builds a core with every feature registered.
func New(o Options) (*SDK, error) {
	if o.Storage == nil || o.Keys == nil {
		return nil, dispatch.Errorf(dispatch.CodeConfiguration, "storage and key store capabilities are required")
	}
	d := dispatch.New(dispatch.Options{Sink: o.Sink, Logger: o.Logger, MaxRequestSize: o.MaxRequestSize})
	deps := &Deps{Dispatcher: d, Storage: o.Storage, Keys: o.Keys, Biometric: o.Biometric, Log: d.Logger(), Client: o.Client, FlowTimeout: o.FlowTimeout}
	for _, r := range registrars {
		if err := r(deps); err != nil {
			d.Close()
			return nil, fmt.Errorf("sdk: %w", err)
		}
	}
	return &SDK{d: d}, nil
}

// Start builds a core from a checked configuration (see ParseConfig): its
// logger (logFile, else standard error, at logLevel), the pure-Go capabilities
// for those that are nil (file-backed under dataDir, in memory without one),
// the platform, the app configuration and the flow timeout. sink receives the
// events. Failures are 8001 errors.
//
// bio is the user-verified key store of the biometric authenticator. When it
// is nil, a core with the pure-Go key store (keys nil: desktop, tests, the
// terminal phone) gets the pure-Go biometric beside it; a core given a
// platform key store gets none: the device offers no biometric authenticator.
func Start(cfg Config, storage device.Storage, keys device.KeyStore, bio device.UserVerifiedKeyStore, sink dispatch.Sink) (s *SDK, err error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	level := zerolog.WarnLevel
	if cfg.LogLevel != "" {
		level, _ = zerolog.ParseLevel(cfg.LogLevel) // Check accepted it
	}
	var w io.Writer = os.Stderr
	var fh *os.File
	if cfg.LogFile != "" {
		fh, err = os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, dispatch.Wrap(dispatch.CodeConfiguration, err, "logFile cannot be opened")
		}
		w = fh
		defer func() {
			if err != nil {
				fh.Close()
			}
		}()
	}
	lg := redact.NewLogger(w, level)
	// Desktop, tests and the terminal phone (no platform key store given):
	// the pure-Go biometric (device.SoftBiometric, every prompt succeeds
	// unless scripted) keeps its keys beside the soft keys.
	var soft *device.SoftBiometric
	if storage == nil || keys == nil {
		var backing device.Storage = device.NewMemStorage()
		if cfg.DataDir != "" {
			fs, ferr := device.NewFileStorage(cfg.DataDir)
			if ferr != nil {
				return nil, dispatch.Wrap(dispatch.CodeConfiguration, ferr, "dataDir cannot be used")
			}
			backing = fs
		}
		if storage == nil {
			storage = backing
		}
		if keys == nil {
			kdir := backing
			if cfg.DataDir != "" {
				kfs, kerr := device.NewFileStorage(filepath.Join(cfg.DataDir, "keys"))
				if kerr != nil {
					return nil, dispatch.Wrap(dispatch.CodeConfiguration, kerr, "dataDir cannot be used")
				}
				kdir = kfs
			}
			keys = device.NewSoftKeyStore(kdir)
			if bio == nil {
				soft = device.NewSoftBiometric(kdir)
				soft.Script(cfg.SoftBiometricScript()...)
				bio = soft
			}
		}
	}
	s, err = New(Options{
		Storage: storage, Keys: keys, Biometric: bio, Sink: sink, Logger: &lg, MaxRequestSize: cfg.MaxRequestSize,
		Client:      client.Settings{Platform: cfg.Platform, Defaults: cfg.App.Client()},
		FlowTimeout: cfg.FlowTimeout(),
	})
	if err != nil {
		return nil, dispatch.AsError(err)
	}
	if fh != nil {
		s.logFile = fh
	}
	s.soft = soft
	return s, nil
}

// Handle answers one request synchronously.
func (s *SDK) Handle(ctx context.Context, req string) string { return s.d.Handle(ctx, req) }

// HandleAsync answers one request through the sink.
func (s *SDK) HandleAsync(req string) { s.d.HandleAsync(req) }

// Invoke answers one request on another goroutine: its response envelope goes
// to reply, exactly once, after every event the call emitted went to the sink.
// It returns at once.
func (s *SDK) Invoke(req string, reply func(response string)) { s.d.HandleAsyncTo(req, reply) }

// SoftBiometric is the pure-Go biometric Start made when no platform key
// store was given (nil otherwise): tests and tools script its outcomes.
func (s *SDK) SoftBiometric() *device.SoftBiometric { return s.soft }

// Dispatcher exposes the method table (for tests and tools).
func (s *SDK) Dispatcher() *dispatch.Dispatcher { return s.d }

// Logger returns the core's redacting logger.
func (s *SDK) Logger() *zerolog.Logger { return s.d.Logger() }

// Close stops running flows, waits for their answers to be delivered and
// closes the log file Start opened.
func (s *SDK) Close() {
	s.d.Close()
	if s.logFile != nil {
		s.logFile.Close()
	}
}
