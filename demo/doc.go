// Package demo is the relying-party demo web app: a small "bank" page that
// logs a user in with their phone and asks them to confirm a payment.
//
// It is an http.Handler built by New with the relying-party API's base URL, an
// API client id and secret and an OTP type. Its backend calls the Token
// Server's v4 relying-party API (POST /oauth/api/v4/authenticate/user with HTTP
// Basic auth); the secret never reaches the browser. The page:
//
//   - "Log in with your phone" starts a mobile authentication (a QR login that
//     any enrolled user may answer), shows the OTP as a QR code (PNG rendered
//     server-side by github.com/skip2/go-qrcode) and as copyable text, counts
//     down its expiry, and turns live, without a reload, to "Approved for
//     <user>", "Denied" or "Expired".
//   - After an approved login the backend remembers the user in the browser's
//     session (an HttpOnly cookie); the page then offers "Confirm payment",
//     which starts a user-bound request (the user_id extension) for
//     "Pay 25.00 EUR to ...".
//
// Live updates: the browser opens a server-sent-events stream on the demo
// backend (GET api/transactions/{id}/events); the backend follows the
// relying-party API's transaction event stream (GET .../transaction/{id}/events,
// every change including "claimed") or, for servers without one and whenever
// that stream breaks, long-polls GET .../transaction/{id}?wait=25, and forwards
// every status change until the transaction is final. The page is plain HTML,
// CSS and JavaScript embedded with go:embed.
//
// Routes (relative to where the handler is mounted; mount it with
// http.StripPrefix):
//
//	GET  /                                 the page
//	GET  /static/...                       its CSS and JavaScript
//	POST /api/login                        start a QR login
//	POST /api/payment                      start a user-bound payment confirmation
//	GET  /api/session                      who is logged in
//	POST /api/logout                       forget the logged-in user
//	GET  /api/transactions/{id}            current status of one of this session's transactions
//	GET  /api/transactions/{id}/events     its status changes as server-sent events
package demo
