package idp

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/openmobileauth/oma/server/egress"
)

// Webhook headers.
const (
	HeaderTimestamp = "X-OMA-Timestamp"
	HeaderRequestID = "X-OMA-Request-Id"
	HeaderIdP       = "X-OMA-IdP"
	HeaderSignature = "X-OMA-Signature"
)

// Steps of a custom registration.
const (
	StepInit     = "init"
	StepComplete = "complete"
)

// Window is how far a timestamp may be from the receiver's clock.
const Window = 5 * time.Minute

// maxAnswer bounds a backend answer's body.
const maxAnswer = 64 << 10

// Request is the JSON body the server sends.
type Request struct {
	Step               string  `json:"step"` // StepInit or StepComplete
	IdentityProviderID string  `json:"identity_provider_id"`
	ApplicationID      string  `json:"application_id"`
	ClientID           string  `json:"client_id"`
	RegistrationID     string  `json:"registration_id"` // the same at init and complete
	Data               *string `json:"data,omitempty"`  // what the app submitted
}

// Answer is the JSON body the backend answers. Result "ok" goes on (at
// complete, UserID names the user registered); anything else refuses.
// Status and Data reach the app as Onegini's CustomInfo.
type Answer struct {
	Result string `json:"result"`
	UserID string `json:"user_id,omitempty"`
	Status int    `json:"status,omitempty"`
	Data   string `json:"data,omitempty"`
}

// Errors of Call.
var (
	ErrUnreachable  = errors.New("idp: backend unreachable or failed")
	ErrBadSignature = errors.New("idp: signature missing, invalid or stale")
	ErrBadAnswer    = errors.New("idp: malformed backend answer")
	ErrRefused      = errors.New("idp: registration refused by the backend")
)

func mac(key string, parts ...string) string {
	m := hmac.New(sha256.New, []byte(key))
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{'.'})
		}
		m.Write([]byte(p))
	}
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// SignRequest is the X-OMA-Signature of a request body.
func SignRequest(key, timestamp, requestID string, body []byte) string {
	return mac(key, timestamp, requestID, string(body))
}

// SignResponse is the X-OMA-Signature of an answer body to request requestID.
func SignResponse(key, timestamp, requestID string, body []byte) string {
	return mac(key, "response", timestamp, requestID, string(body))
}

func verify(want, got, timestamp string, now time.Time, window time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > window || d < -window {
		return ErrBadSignature
	}
	if !strings.HasPrefix(got, "v1=") || !hmac.Equal([]byte(want), []byte(got)) {
		return ErrBadSignature
	}
	return nil
}

// VerifyRequest is a backend's check of a request: signature under key and
// timestamp within window. The backend must also refuse a request id it has
// seen within the window.
func VerifyRequest(key string, h http.Header, body []byte, now time.Time, window time.Duration) error {
	id := h.Get(HeaderRequestID)
	if id == "" {
		return ErrBadSignature
	}
	return verify(SignRequest(key, h.Get(HeaderTimestamp), id, body), h.Get(HeaderSignature), h.Get(HeaderTimestamp), now, window)
}

// VerifyResponse is the server's check of an answer to request requestID.
func VerifyResponse(key, requestID string, h http.Header, body []byte, now time.Time, window time.Duration) error {
	return verify(SignResponse(key, h.Get(HeaderTimestamp), requestID, body), h.Get(HeaderSignature), h.Get(HeaderTimestamp), now, window)
}

// Caller sends signed requests to backends.
type Caller struct {
	HTTP *http.Client
	Now  func() time.Time
	// NewID returns a fresh request id.
	NewID func() string
}

// Call sends req to url signed with key and returns the verified answer.
// A refusal is ErrRefused with the answer (its Status and Data).
func (c *Caller) Call(ctx context.Context, url, idpID, key string, req Request) (Answer, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return Answer{}, err
	}
	id, ts := c.NewID(), strconv.FormatInt(c.Now().Unix(), 10)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Answer{}, ErrUnreachable
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set(HeaderTimestamp, ts)
	hr.Header.Set(HeaderRequestID, id)
	hr.Header.Set(HeaderIdP, idpID)
	hr.Header.Set(HeaderSignature, SignRequest(key, ts, id, body))
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		return Answer{}, ErrUnreachable
	}
	defer resp.Body.Close()
	ab, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil || len(ab) > maxAnswer {
		return Answer{}, ErrBadAnswer
	}
	if resp.StatusCode != http.StatusOK {
		return Answer{}, fmt.Errorf("%w: HTTP %d", ErrUnreachable, resp.StatusCode)
	}
	if err := VerifyResponse(key, id, resp.Header, ab, c.Now(), Window); err != nil {
		return Answer{}, err
	}
	var a Answer
	if err := json.Unmarshal(ab, &a); err != nil || len(a.Data) > 4096 {
		return Answer{}, ErrBadAnswer
	}
	if a.Result != "ok" {
		return a, ErrRefused
	}
	if req.Step == StepComplete && !ValidUserID(a.UserID) {
		return Answer{}, ErrBadAnswer
	}
	return a, nil
}

// ValidUserID accepts 1..128 bytes of printable characters without spaces.
func ValidUserID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}

// NewHTTPClient is the client for backends: bounded time, no redirects,
// public addresses only (server/egress; the server gives its own client,
// which follows --allow-private-egress).
func NewHTTPClient() *http.Client {
	return egress.NewClient(egress.Options{Purpose: "idp"})
}
