package httpio

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
)

// Shared header values of every JSON response. They are assigned, not
// appended to (Header.Add would copy them: len == cap), and net/http clones
// the header map with its values when the header is written.
var (
	headerJSON    = []string{"application/json"}
	headerNoStore = []string{"no-store"}
)

// httpDate returns the Date header value of a response sent now, formatted
// once per second: net/http formats it for every response that has none.
func httpDate() []string {
	now := time.Now()
	sec := now.Unix()
	if d := lastDate.Load(); d != nil && d.sec == sec {
		return d.value
	}
	d := &dateValue{sec: sec, value: []string{now.UTC().Format(http.TimeFormat)}}
	lastDate.Store(d)
	return d.value
}

type dateValue struct {
	sec   int64
	value []string
}

var lastDate atomic.Pointer[dateValue]

// WriteJSON writes v as a JSON response with status: the bytes of
// json.NewEncoder(w).Encode(v), which it still uses for types other than
// the responses of the hot paths (see appendJSON).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h["Content-Type"] = headerJSON
	h["Cache-Control"] = headerNoStore
	h["Date"] = httpDate()
	bp := jsonBufs.Get().(*[]byte)
	b, ok := appendJSON((*bp)[:0], v)
	w.WriteHeader(status)
	if ok {
		_, _ = w.Write(append(b, '\n'))
	} else {
		_ = json.NewEncoder(w).Encode(v)
	}
	if cap(b) <= maxPooledJSON {
		*bp = b[:0]
		jsonBufs.Put(bp)
	}
}

// DeviceError is a device API error: one of core/protocol's error strings and
// a description that never contains secrets.
type DeviceError struct {
	Code              string
	Description       string
	RemainingAttempts *int
	Status            int // 0 = protocol.HTTPStatus(Code)
}

// Error implements error.
func (e *DeviceError) Error() string { return e.Code + ": " + e.Description }

// DevErr makes a DeviceError.
func DevErr(code, desc string) *DeviceError { return &DeviceError{Code: code, Description: desc} }

// WriteDeviceError writes e as a protocol.ErrorResponse.
func WriteDeviceError(w http.ResponseWriter, e *DeviceError) {
	status := e.Status
	if status == 0 {
		status = protocol.HTTPStatus(e.Code)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `DPoP algs="ES256"`)
	}
	WriteJSON(w, status, protocol.ErrorResponse{Error: e.Code, ErrorDescription: e.Description, RemainingAttempts: e.RemainingAttempts})
}

// RPError is a relying-party API error (DESIGN §5).
type RPError struct {
	Status      int    `json:"-"`
	Err         string `json:"error"`
	Code        int    `json:"error_code"`
	Description string `json:"error_description"`
}

// Error implements error.
func (e *RPError) Error() string { return e.Err + ": " + e.Description }

// Relying-party error codes (DESIGN §5, plus 1010 for rate limiting and 1099
// for internal errors — the spec is silent on both).
const (
	RPCodeDisabled       = 1000
	RPCodeNotFound       = 1001
	RPCodeInvalidParam   = 1003
	RPCodeMessageTooLong = 1005
	RPCodeRateLimited    = 1010
	RPCodeUnauthorized   = 1011
	RPCodeInternal       = 1099
)

// WriteRPError writes e as {error, error_code, error_description}.
func WriteRPError(w http.ResponseWriter, e *RPError) {
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oma"`)
	}
	WriteJSON(w, e.Status, e)
}
