// Package softdevice is a phone in software: a P-256 client key and a P-256
// enrollment key held in memory, speaking the device protocol of
// core/protocol over HTTP (client registration with a DPoP proof carrying the
// key, the browser login through the login form, the PIN token exchange, CSR
// enrollment, OTP claim and the signed answer, and the other device calls).
//
// It is the one device client of the server's tests and tools:
// server/servertest wraps it for tests (failing the test on a broken proof),
// server/loadgen drives transactions with it (and keeps a fasthttp hot path of
// its own for the measured calls, over the same Device), server/crashtest and
// cmd/loadgen set devices up with it. It is not the SDK (core/ is): no PIN
// policy, no storage, no retries.
package softdevice
