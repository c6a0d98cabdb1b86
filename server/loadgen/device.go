package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/openmobileauth/oma/server/softdevice"
)

// HTTPError is a non-2xx answer of the server: what was being done, the
// status and the body's error object (device API and RP API both use its
// "error" member).
type HTTPError = softdevice.APIError

// Device is a simulated phone: a softdevice.Device (client key, one user
// profile with its tokens, an enrollment key) and the constants FastClient
// precomputes for it. Set-up (Setup, or softdevice's steps) must run on one
// goroutine; after it, transactions only read the device and may run
// concurrently (several transactions of one device at once).
type Device struct {
	softdevice.Device

	hotOnce sync.Once // FastClient's precomputed constants (fast.go)
	hot     *deviceHot
	hotErr  error
}

// NewDevice makes a device with a fresh client key that talks to base using
// hc (which must not follow redirects; NewHTTPClient makes a suitable one).
func NewDevice(base string, hc *http.Client) (*Device, error) {
	sd, err := softdevice.New(base, hc)
	if err != nil {
		return nil, err
	}
	return &Device{Device: *sd}, nil
}

// NewHTTPClient returns an HTTP client for loopback load: keep-alive
// connections (up to maxConns per host), a per-request timeout, no redirects.
func NewHTTPClient(maxConns int, timeout time.Duration) *http.Client {
	return softdevice.NewHTTPClient(maxConns, timeout)
}

// doJSON runs req and decodes a 2xx JSON answer into out (nil: discard); any
// other status is an *HTTPError.
func doJSON(hc *http.Client, req *http.Request, op string, out any) error {
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("%s: reading answer: %w", op, err)
	}
	if resp.StatusCode/100 != 2 {
		e := &HTTPError{Op: op, Status: resp.StatusCode}
		_ = json.Unmarshal(body, &e.ErrorResponse)
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: decoding answer: %w", op, err)
	}
	return nil
}
