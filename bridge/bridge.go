package bridge

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/redact"
	"github.com/openmobileauth/oma/core/sdk"
	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"
)

// Callback is implemented natively; it receives every asynchronous response and
// every event as a JSON string. It is called from Go threads, possibly
// concurrently: implementations hand the string to their UI/JS thread.
type Callback interface {
	OnMessage(message string)
}

// SecureStorage is the secure key-value storage capability (Android
// Keystore-wrapped storage, iOS Keychain). Get returns nil/empty when absent.
type SecureStorage interface {
	Get(key string) ([]byte, error)
	Set(key string, value []byte) error
	Delete(key string) error
}

// KeyStore is the hardware key store capability (Android Keystore, Secure
// Enclave): P-256 keys by alias; public keys as PKIX DER or the 65-byte
// uncompressed point; Sign takes a SHA-256 digest and returns a DER signature.
type KeyStore interface {
	GenerateKey(alias string) ([]byte, error)
	PublicKey(alias string) ([]byte, error)
	Sign(alias string, digest []byte) ([]byte, error)
	DeleteKey(alias string) error
}

var (
	mu      sync.RWMutex
	current *sdk.SDK
	logFile io.Closer // the logFile opened by Start, closed by Close
	logPtr  atomic.Pointer[zerolog.Logger]
)

func init() {
	nop := zerolog.Nop()
	logPtr.Store(&nop)
}

// log returns the current (redacting) logger; safe from any goroutine.
func log() *zerolog.Logger { return logPtr.Load() }

// Start starts the core. configJSON is an object with optional fields
// "dataDir" (where the pure-Go capabilities keep their files when storage or keys
// is nil), "logLevel" ("debug", "info", "warn", "error", "disabled"; default
// "warn"), "logFile" (default standard error) and "maxRequestSize". storage and
// keys may be nil on desktops and in tests: the pure-Go implementations are used
// then (file-backed under dataDir, or in memory without one).
func Start(configJSON string, callback Callback, storage SecureStorage, keys KeyStore) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log().Error().Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("bridge.Start panicked")
			err = startError(dispatch.Errorf(dispatch.CodeInternal, "internal error while starting"))
		}
	}()
	mu.Lock()
	defer mu.Unlock()
	if current != nil {
		return startError(dispatch.Errorf(dispatch.CodeAlreadyStarted, "SDK already started"))
	}
	if configJSON == "" {
		configJSON = "{}"
	}
	if !gjson.Valid(configJSON) || !gjson.Parse(configJSON).IsObject() {
		return startError(dispatch.Errorf(dispatch.CodeConfiguration, "configuration must be a JSON object"))
	}
	if callback == nil {
		return startError(dispatch.Errorf(dispatch.CodeConfiguration, "callback is required"))
	}
	cfg := gjson.Parse(configJSON)
	level, lerr := zerolog.ParseLevel(cfg.Get("logLevel").String())
	if lerr != nil || cfg.Get("logLevel").String() == "" {
		level = zerolog.WarnLevel
	}
	var w io.Writer = os.Stderr
	var fh *os.File
	if f := cfg.Get("logFile").String(); f != "" {
		var ferr error
		fh, ferr = os.OpenFile(f, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if ferr != nil {
			return startError(dispatch.Wrap(dispatch.CodeConfiguration, ferr, "logFile cannot be opened"))
		}
		w = fh
		// Closed again on any failure below; on success Close closes it.
		defer func() {
			if err != nil {
				fh.Close()
			}
		}()
	}
	lg := redact.NewLogger(w, level)
	dataDir := cfg.Get("dataDir").String()
	var st device.Storage
	var ks device.KeyStore
	if storage != nil {
		st = storage
	}
	if keys != nil {
		ks = keys
	}
	if st == nil || ks == nil {
		var backing device.Storage = device.NewMemStorage()
		if dataDir != "" {
			fs, ferr := device.NewFileStorage(dataDir)
			if ferr != nil {
				return startError(dispatch.Wrap(dispatch.CodeConfiguration, ferr, "dataDir cannot be used"))
			}
			backing = fs
		}
		if st == nil {
			st = backing
		}
		if ks == nil {
			kdir := backing
			if dataDir != "" {
				kfs, kerr := device.NewFileStorage(filepath.Join(dataDir, "keys"))
				if kerr != nil {
					return startError(dispatch.Wrap(dispatch.CodeConfiguration, kerr, "dataDir cannot be used"))
				}
				kdir = kfs
			}
			ks = device.NewSoftKeyStore(kdir)
		}
	}
	s, serr := sdk.New(sdk.Options{
		Storage:        st,
		Keys:           ks,
		Sink:           func(msg string) { callback.OnMessage(msg) },
		Logger:         &lg,
		MaxRequestSize: int(cfg.Get("maxRequestSize").Int()),
	})
	if serr != nil {
		return startError(dispatch.AsError(serr))
	}
	current = s
	if fh != nil {
		logFile = fh
	}
	logPtr.Store(&lg)
	return nil
}

// Call handles requestJSON asynchronously: it returns at once and the response
// arrives through Callback.OnMessage. Before Start, nothing can be delivered, so
// the 8020 answer is logged and dropped; use CallSync to see it.
func Call(requestJSON string) {
	defer recoverTo("Call")
	mu.RLock()
	s := current
	mu.RUnlock()
	if s == nil {
		log().Warn().Msg("Call before Start")
		return
	}
	s.HandleAsync(requestJSON)
}

// CallSync handles requestJSON synchronously and returns its response envelope.
// For tests and tools only: it blocks the calling thread. Before Start it answers
// 8020.
func CallSync(requestJSON string) (resp string) {
	defer func() {
		if p := recover(); p != nil {
			log().Error().Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("CallSync panicked")
			resp = `{"jsonrpc":"2.0","id":null,"error":{"code":8000,"message":"internal error","data":{"domain":"sdk"}}}`
		}
	}()
	mu.RLock()
	s := current
	mu.RUnlock()
	if s == nil {
		return notStarted(requestJSON)
	}
	return s.Handle(context.Background(), requestJSON)
}

// Close stops the core; it is safe to call when not started. Pending calls are
// answered (flows waiting for the user are cancelled) before it returns, so it
// must not be called from inside Callback.OnMessage. After Close, Start may be
// called again.
func Close() {
	defer recoverTo("Close")
	mu.Lock()
	s := current
	current = nil
	lf := logFile
	logFile = nil
	mu.Unlock()
	if s != nil {
		s.Close()
	}
	if lf != nil {
		mu.Lock()
		if current == nil { // no new Start in between: stop logging to the file
			nop := zerolog.Nop()
			logPtr.Store(&nop)
		}
		mu.Unlock()
		lf.Close()
	}
}

// IsStarted reports whether the core is running.
func IsStarted() bool {
	mu.RLock()
	defer mu.RUnlock()
	return current != nil
}

// Version returns the core version.
func Version() string { return dispatch.Version }

func recoverTo(where string) {
	if p := recover(); p != nil {
		log().Error().Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("bridge." + where + " panicked")
	}
}
