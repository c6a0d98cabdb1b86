package push

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
)

// Providers a device can register with (core/protocol's names).
const (
	ProviderFCM     = protocol.PushProviderFCM
	ProviderAPNs    = protocol.PushProviderAPNs
	ProviderWebPush = protocol.PushProviderWebPush
)

// Payload keys (the Onegini push payload names; og_server is this
// project's), as core/protocol defines them for both sides.
const (
	KeyTransactionID = protocol.PushKeyTransactionID
	KeyProfileID     = protocol.PushKeyProfileID
	KeyServer        = protocol.PushKeyServer
)

// Target is where one enrollment's pushes go.
type Target struct {
	Provider string // fcm | apns | webpush
	Token    string // FCM registration token or APNs device token (hex)
	// Web Push subscription (W3C Push API): the push resource URL and the
	// receiver's keys, base64url.
	Endpoint string
	P256dh   string
	Auth     string
}

// Message is what one push announces.
type Message struct {
	TransactionID string
	ProfileID     string
	Server        string    // the server's identity (public base URL)
	Expires       time.Time // when the request expires; providers drop it after
}

// Data is the payload every driver carries: the two ids and the server.
func (m Message) Data() map[string]string {
	return map[string]string{KeyTransactionID: m.TransactionID, KeyProfileID: m.ProfileID, KeyServer: m.Server}
}

// ttl is the time left until m expires, at least one second.
func (m Message) ttl(now time.Time) time.Duration {
	d := m.Expires.Sub(now)
	if m.Expires.IsZero() || d > 24*time.Hour {
		return 24 * time.Hour
	}
	if d < time.Second {
		return time.Second
	}
	return d.Truncate(time.Second)
}

// Status is what a send came to.
type Status int

const (
	// Delivered: the provider accepted the message.
	Delivered Status = iota + 1
	// TokenInvalid: the provider says the token or subscription is no longer
	// valid (unregistered, expired, not for this app): stop using it.
	TokenInvalid
	// Retry: a transient failure (transport, 429, 5xx); try again later.
	Retry
	// Failed: this message cannot be delivered (bad request, credentials
	// refused); retrying the same message will not help.
	Failed
)

func (s Status) String() string {
	switch s {
	case Delivered:
		return "delivered"
	case TokenInvalid:
		return "token_invalid"
	case Retry:
		return "retry"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Result of one send.
type Result struct {
	Status     Status
	RetryAfter time.Duration // with Retry: the provider's Retry-After (0: the caller's own back-off)
	Reason     string        // stable code, e.g. "fcm_unregistered", "apns_BadDeviceToken", "http_503"
}

// Sender sends one wake-up. Send never blocks beyond ctx and never panics on
// a bad target: an unusable target is a Failed or TokenInvalid result.
type Sender interface {
	Send(ctx context.Context, t Target, m Message) Result
}

// maxRetryAfter caps a provider's Retry-After.
const maxRetryAfter = time.Hour

// retryAfter parses a Retry-After header (RFC 9110 §10.2.3: delay-seconds or
// an HTTP-date); 0 when absent or unparseable.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d < 0 {
		return 0
	}
	if d > maxRetryAfter {
		return maxRetryAfter
	}
	return d
}

// reasonCode keeps a provider's reason only when it is a plain identifier
// (letters, digits, underscore; at most 48 octets), so nothing a provider
// echoes back (a token, a URL) can reach a log or the store.
func reasonCode(prefix, s string) string {
	if s == "" || len(s) > 48 {
		return prefix + "_other"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return prefix + "_other"
		}
	}
	return prefix + "_" + s
}

// byStatus is the generic classification of an HTTP answer.
func byStatus(prefix string, code int, h http.Header, now time.Time) Result {
	switch {
	case code == http.StatusTooManyRequests || code >= 500:
		return Result{Status: Retry, RetryAfter: retryAfter(h, now), Reason: prefix + "_http_" + strconv.Itoa(code)}
	default:
		return Result{Status: Failed, Reason: prefix + "_http_" + strconv.Itoa(code)}
	}
}

// transportFailure is a send that got no HTTP answer. The error itself is not
// kept: its text can hold the URL (an APNs device token, a Web Push
// endpoint).
func transportFailure(prefix string, ctx context.Context) Result {
	if ctx.Err() != nil {
		return Result{Status: Retry, Reason: prefix + "_timeout"}
	}
	return Result{Status: Retry, Reason: prefix + "_transport"}
}
