// Command demo runs the whole demo on one listener: the Token Server (embedded
// SQLite under --data, seeded with the demo API client, OTP type and user) and
// the relying-party demo page at /demo/ (the root redirects there). It prints
// what to open and the terminal-phone commands to type.
//
//	go run ./cmd/demo [--listen 127.0.0.1:8080] [--data ./oma-data] [--otp-expiry 5m]
//
// --listen with port 0 picks a free port (the printed URLs tell which).
// --otp-expiry changes the demo OTP type's expiry (the browser test uses a few
// seconds to see the expiry path). Ctrl-C stops it gracefully.
package main
