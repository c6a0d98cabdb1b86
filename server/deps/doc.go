// Package deps is the bundle of dependencies every HTTP package of the
// Token Server (device, oauth, rp) is built with: Env holds the store, the
// clocks (Clock for expiries, Wall for device-signed times), the logger,
// the rate limiters, the enrollment CA, the secret-hash gate, the wake-up
// hub, the request cache, the push settings and the configured limits and
// lifetimes. The server assembles one Env at start; the packages it points
// to hold the behaviour.
package deps
