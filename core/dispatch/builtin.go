package dispatch

import "context"

// Version is the SDK core version reported by getVersion.
const Version = "0.1.0"

// The built-in results are stored as interface values so answering them does not
// allocate (converting a RawJSON to any on every call would).
var pong any = RawJSON(`{"pong":true}`)

var versionJSON any = RawJSON(`{"version":"` + Version + `","protocol":1}`)

func registerBuiltins(d *Dispatcher) {
	_ = d.Register("ping", func(context.Context, *Call) (any, error) { return pong, nil })
	_ = d.Register("getVersion", func(context.Context, *Call) (any, error) { return versionJSON, nil })
}
