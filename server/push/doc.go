// Package push sends the wake-up of a push mobile authentication (DESIGN §12)
// to one push-enrolled device through the provider the device registered
// with. One Sender interface, drivers chosen per deployment:
//
//   - fcm: Firebase Cloud Messaging HTTP v1 (POST
//     {endpoint}/v1/projects/{project}/messages:send) with a bearer token from
//     an OAuth 2.0 JWT-bearer exchange (RFC 7523) for a service account
//     (golang.org/x/oauth2/jwt);
//   - apns: Apple Push Notification service over HTTP/2 with a .p8 provider
//     token (ES256 JWT; github.com/sideshow/apns2);
//   - webpush: RFC 8030 push with RFC 8291 aes128gcm encryption and RFC 8292
//     VAPID (github.com/SherClockHolmes/webpush-go); what browsers and
//     UnifiedPush distributors accept;
//   - log: writes a line per push (ids only) and reports it delivered;
//   - none: sends nothing (devices pull their pending requests).
//
// The payload of every driver holds only og_transaction_id, og_profile_id
// and og_server (the server's identity, its public base URL): never the
// message the user confirms, which the device fetches over DPoP.
//
// A Result says what to do next: delivered, the token is invalid (the
// provider said unregistered: stop using it), retry (after the provider's
// Retry-After when it gave one) or failed for good. Reasons are stable codes;
// they never carry a token, an endpoint URL or a credential, and neither does
// anything this package logs.
package push
