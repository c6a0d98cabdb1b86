// Package bridge is the only package bound with gomobile (gobind): the whole
// native contract of the SDK is in bridge.go. Native shells (Kotlin, Objective-C)
// only forward strings:
//
//   - Start(configJSON, callback, storage, keys) once; a second Start fails with 8021.
//   - Call(requestJSON) returns at once; the response arrives later through
//     Callback.OnMessage, interleaved with events. CallSync is for tests and tools.
//   - Close() ends the core; pending calls are answered before it returns.
//
// Requests, responses and events are the JSON-RPC 2.0 envelopes of the dispatch
// package. Errors returned by Start carry a JSON object {"code","domain","message"}
// as their message so the native side can reject a JS promise with the code.
// Exported signatures use only string, []byte, bool, error and interfaces of such
// methods; no panic crosses the bridge.
package bridge
