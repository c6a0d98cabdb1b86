// Command phone is the terminal phone: it drives the real SDK core through the
// real bridge, in this process (bridge.Start with a Callback for events,
// bridge.Invoke with a per-call Reply for flows that wait on the user and
// bridge.CallSync for the rest), with the pure-Go storage and key store under
// a data directory, so several phones can run at once with different --data
// directories.
//
//	phone register   [--user demo --password demo1234] [--pin 24680] [--browser]
//	phone login      [--pin 24680]          (alias: authenticate)
//	phone enroll     [--pin 24680]          (authenticates first, then enrolls)
//	phone scan OTP   [--accept [--match NN] | --deny | --not-me]    (or: phone scan --qr code.png)
//	phone status     [--json]
//	phone deregister
//	phone biometric  [--pin 24680]          (registers the scripted fingerprint authenticator, preferred)
//	phone sso URL    [--pin 24680]          (prints a one-time address that signs a browser in and opens URL)
//
// Common flags: --data DIR (default ./oma-phone), --server URL (default: the
// one remembered in the data directory, else http://127.0.0.1:8080),
// --profile ID (when the phone has several registered users), --insecure
// (allow plain HTTP to a non-loopback server), --timeout, --log-level.
// Flags may come before or after the command's arguments.
//
// A request's details are printed as a table under the message. With number
// matching the phone shows the three candidates and asks for the number the
// web page shows (--match NN for scripts; --accept without it is refused and
// the request denied). "m" at the prompt, or --not-me, answers "this wasn't
// me". When the request requires user verification, accepting asks for the
// PIN (--pin for scripts) or, after `phone biometric`, the fingerprint: the
// core's scripted biometric plays --biometric (success, fail, cancel,
// lockout, changed, comma-separated; default success), and --biometric pin
// falls back to the PIN. `phone pending` lists each request with its
// details table, number candidates and user verification before answering.
//
// Without --pin, --user/--password or --accept/--deny the phone asks on the
// terminal; with them it runs non-interactively for scripts and tests. It exits
// 0 on success (a deny that reached the server counts as success for
// "scan --deny"), 1 on failure with the SDK's error code in the message
// ("phone: error 8004 WRONG_PIN: ..."), 2 on bad usage.
package main
