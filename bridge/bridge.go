package bridge

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"
)

// Callback is implemented natively and given to Start; it receives every event
// the core emits, as the JSON text of the event's params {"type": ..., ...}
// (the payload of DESIGN §4's events). It is called from Go threads, possibly
// concurrently; an event emitted by a call before its result reaches
// OnEvent before that call's Reply is answered.
type Callback interface {
	OnEvent(eventJSON string)
}

// Reply is implemented natively, one per Invoke: the core calls exactly one
// of its methods, exactly once, from a Go thread.
type Reply interface {
	// OnResult receives the JSON text of the call's result.
	OnResult(resultJSON string)
	// OnError receives the call's error: its code (DESIGN §4), its message,
	// and the JSON text of the whole error object
	// {"code": 8009, "message": "...", "data": {"domain": "sdk", ...}}.
	OnError(code int, message string, errorJSON string)
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

// UserVerifiedKeyStore is the biometric authenticator's key store (issue 15,
// DESIGN §14): P-256 keys that sign only after the user passed a strong
// biometric prompt (Android Keystore key unlocked through BiometricPrompt;
// Secure Enclave key with .biometryCurrentSet through LocalAuthentication).
// The contract is core/device.UserVerifiedKeyStore's: BiometricAvailable
// answers "" or a code (UV_NOT_AVAILABLE, UV_LOCKOUT);
// SignWithUserVerification blocks its Go thread while the prompt (titled
// prompt) runs and signs the 32-byte digest (DER signature); an outcome other
// than success is an error whose message starts with UV_FAILED, UV_CANCELED,
// UV_LOCKOUT, UV_KEY_INVALIDATED or UV_NOT_AVAILABLE (then ": " and any
// detail). Public keys are PKIX DER or the 65-byte uncompressed point.
type UserVerifiedKeyStore interface {
	BiometricAvailable() string
	GenerateUserVerifiedKey(alias string) ([]byte, error)
	SignWithUserVerification(alias string, digest []byte, prompt string) ([]byte, error)
	DeleteUserVerifiedKey(alias string) error
}

var (
	mu       sync.RWMutex
	current  *sdk.SDK
	startErr *dispatch.Error // why the last Start failed (nil after a success or Close)
	logPtr   atomic.Pointer[zerolog.Logger]
)

func init() {
	nop := zerolog.Nop()
	logPtr.Store(&nop)
}

// log returns the current (redacting) logger; safe from any goroutine.
func log() *zerolog.Logger { return logPtr.Load() }

// Start starts the core with the SDK configuration configJSON (see
// sdk.Config: platform, dataDir, logLevel, logFile, maxRequestSize,
// flowTimeoutMs and the app's configuration under "app"; "" means {}).
// callback receives the events. storage and keys may be nil on desktops and in
// tests: the pure-Go implementations are used then (file-backed under dataDir,
// or in memory without one). biometric is the user-verified key store; nil
// means the device has no biometric authenticator (the SDK reports the
// fingerprint authenticator unavailable), except beside the pure-Go key store
// (keys nil), which gets the pure-Go biometric. A failed Start is remembered:
// Invoke answers calls with its error until a Start succeeds or Close is called.
func Start(configJSON string, callback Callback, storage SecureStorage, keys KeyStore, biometric UserVerifiedKeyStore) (err error) {
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
	fail := func(e error) error {
		startErr = dispatch.AsError(e)
		return startError(startErr)
	}
	cfg, cerr := sdk.ParseConfig(configJSON)
	if cerr != nil {
		return fail(cerr)
	}
	if callback == nil {
		return fail(dispatch.Errorf(dispatch.CodeConfiguration, "callback is required"))
	}
	var st device.Storage
	var ks device.KeyStore
	if storage != nil { // keep a nil interface nil
		st = storage
	}
	if keys != nil {
		ks = keys
	}
	var bio device.UserVerifiedKeyStore
	if biometric != nil {
		bio = biometric
	}
	s, serr := sdk.Start(cfg, st, ks, bio, func(msg string) { callback.OnEvent(gjson.Get(msg, "params").Raw) })
	if serr != nil {
		return fail(serr)
	}
	current, startErr = s, nil
	logPtr.Store(s.Logger())
	return nil
}

// Invoke handles requestJSON (a JSON-RPC 2.0 request envelope) asynchronously:
// it returns at once and answers reply exactly once, after the events the call
// emitted before its result went to the Start callback. Before Start it
// answers 8020 (or, after a failed Start, that Start's error).
func Invoke(requestJSON string, reply Reply) {
	if reply == nil {
		log().Warn().Msg("Invoke without a reply: nothing to answer")
		return
	}
	handed := false
	defer func() {
		if p := recover(); p != nil {
			log().Error().Str("panic", fmt.Sprint(p)).Bytes("stack", debug.Stack()).Msg("bridge.Invoke panicked")
			if !handed {
				answer(reply, encodedError(dispatch.Errorf(dispatch.CodeInternal, "internal error")))
			}
		}
	}()
	mu.RLock()
	s, serr := current, startErr
	mu.RUnlock()
	if s == nil {
		handed = true
		answer(reply, notStartedError(serr))
		return
	}
	handed = true // from here on the dispatcher answers, exactly once
	s.Invoke(requestJSON, func(resp string) { answer(reply, resp) })
}

// answer hands a response envelope to reply. The envelope is the core's own
// output: either "result" or "error" is present.
func answer(reply Reply, resp string) {
	if r := gjson.Get(resp, "result"); r.Exists() {
		reply.OnResult(r.Raw)
		return
	}
	e := gjson.Get(resp, "error")
	reply.OnError(int(e.Get("code").Int()), e.Get("message").String(), e.Raw)
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
// must not be called from inside a Callback or Reply method. After Close, Start
// may be called again.
func Close() {
	defer recoverTo("Close")
	mu.Lock()
	s := current
	current, startErr = nil, nil
	mu.Unlock()
	if s != nil {
		s.Close()
		mu.Lock()
		if current == nil { // no new Start in between: the closed core's log file is gone
			nop := zerolog.Nop()
			logPtr.Store(&nop)
		}
		mu.Unlock()
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
