package sdk

import (
	"context"
	"fmt"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
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
	// Log is the redacting logger.
	Log *zerolog.Logger
}

// Registrar registers a feature package's methods. Feature packages add theirs to
// the registrars list (see features.go).
type Registrar func(d *Deps) error

// Options configures New.
type Options struct {
	// Storage and Keys are the device capabilities (required).
	Storage device.Storage
	Keys    device.KeyStore
	// Sink receives asynchronous responses and events.
	Sink dispatch.Sink
	// Logger is a redacting logger from redact.NewLogger; nil means no logging.
	Logger *zerolog.Logger
	// MaxRequestSize limits envelopes; 0 means the dispatcher default.
	MaxRequestSize int
}

// SDK is one running core.
type SDK struct {
	d *dispatch.Dispatcher
}

// New builds a core with every feature registered.
func New(o Options) (*SDK, error) {
	if o.Storage == nil || o.Keys == nil {
		return nil, dispatch.Errorf(dispatch.CodeConfiguration, "storage and key store capabilities are required")
	}
	d := dispatch.New(dispatch.Options{Sink: o.Sink, Logger: o.Logger, MaxRequestSize: o.MaxRequestSize})
	deps := &Deps{Dispatcher: d, Storage: o.Storage, Keys: o.Keys, Log: d.Logger()}
	for _, r := range registrars {
		if err := r(deps); err != nil {
			d.Close()
			return nil, fmt.Errorf("sdk: %w", err)
		}
	}
	return &SDK{d: d}, nil
}

// Handle answers one request synchronously.
func (s *SDK) Handle(ctx context.Context, req string) string { return s.d.Handle(ctx, req) }

// HandleAsync answers one request through the sink.
func (s *SDK) HandleAsync(req string) { s.d.HandleAsync(req) }

// Dispatcher exposes the method table (for tests and tools).
func (s *SDK) Dispatcher() *dispatch.Dispatcher { return s.d }

// Close stops running flows and waits for their answers to be delivered.
func (s *SDK) Close() { s.d.Close() }
