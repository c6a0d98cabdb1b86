// Package loadgen drives a Token Server the way real phones and relying
// parties do, over HTTP on loopback: a simulated Device is the software device
// of server/softdevice (the one servertest's tests use: client registration
// with DPoP proofs, browser login through the login form, PIN token exchange,
// CSR enrollment, OTP claim and signed answer), an RP client speaks the v4
// relying-party API (create a request, fetch the result), and Run executes
// complete OTP transactions at a fixed rate (open model) or as fast as C
// workers can (closed model), reporting throughput and latency percentiles.
// The measured calls go through FastClient (fasthttp, hand-written request
// encoding, gjson decoding) unless Plan.Fast is nil; TestFastPathsEarnTheirPlace
// keeps it only while it costs clearly less CPU than the software device's
// net/http and encoding/json.
//
// cmd/loadgen is the command-line front end; server/crashtest uses Device and
// RP to drive flows against a server it kills and restarts.
package loadgen
