// Package bridge is the only package bound with gomobile (gobind): the whole
// native contract of the SDK is in bridge.go. Native shells (Kotlin, Objective-C)
// only forward strings (DESIGN §3, §11):
//
//   - Start(configJSON, callback, storage, keys, biometric) once with the SDK configuration
//     (platform, data locations, log level, the app's configuration; see
//     sdk.Config); a second Start fails with 8021. callback receives every
//     event as the JSON text of its params. storage, keys and biometric are
//     the device capabilities (nil: the pure-Go ones; a nil biometric beside a
//     native key store: no biometric authenticator).
//   - Invoke(requestJSON, reply) returns at once; the call is answered through
//     its own reply, exactly once (OnResult with the result's JSON text, or
//     OnError with code, message and the error object's JSON text). Events a
//     call emits before its result reach the callback before the reply is
//     answered. CallSync is for tests and tools.
//   - Close() ends the core; pending calls are answered before it returns.
//
// Requests are the JSON-RPC 2.0 envelopes of the dispatch package. Errors
// returned by Start carry a JSON object {"code","domain","message"} as their
// message; calls invoked after a failed Start are answered with its error.
// Exported signatures use only string, int, []byte, bool, error and interfaces
// of such methods; no panic crosses the bridge.
package bridge
