package outbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Callback headers (DESIGN §5, server/README.md "Callbacks").
const (
	// HeaderEventID is the outbox row's id: the same on every retry of one
	// callback, so a receiver can drop duplicates.
	HeaderEventID = "X-OMA-Event-Id"
	// HeaderTimestamp is the unix time (seconds) of this delivery attempt.
	HeaderTimestamp = "X-OMA-Timestamp"
	// HeaderKeyID names the API client's callback key that signed it
	// ("legacy" for a key carried over from the old secret-keyed signature).
	HeaderKeyID = "X-OMA-Key-Id"
	// HeaderSignature is "v1=" + hex HMAC-SHA256(callback key,
	// timestamp + "." + event id + "." + body).
	HeaderSignature = "X-OMA-Signature"
)

// Sign returns the X-OMA-Signature value of body sent as event eventID at
// timestamp, keyed with the API client's callback key.
func Sign(key, timestamp, eventID string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write([]byte(eventID))
	m.Write([]byte{'.'})
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// ErrBadSignature is returned by Verify.
var ErrBadSignature = errors.New("outbox: callback signature invalid or stale")

// Verify is the receiver's check of a callback: h's signature must be the
// HMAC of h's timestamp and event id and body under key, and the timestamp
// within maxSkew of now. A receiver holding several keys during a rotation
// picks key by h.Get(HeaderKeyID).
func Verify(key string, h http.Header, body []byte, now time.Time, maxSkew time.Duration) error {
	timestamp, eventID, sig := h.Get(HeaderTimestamp), h.Get(HeaderEventID), h.Get(HeaderSignature)
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || eventID == "" {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > maxSkew || d < -maxSkew {
		return ErrBadSignature
	}
	want := Sign(key, timestamp, eventID, body)
	if !strings.HasPrefix(sig, "v1=") || !hmac.Equal([]byte(want), []byte(sig)) {
		return ErrBadSignature
	}
	return nil
}
