package servertest

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/softdevice"
)

// Device is a test device: a softdevice.Device (its fields and its
// context-taking methods) bound to a TestServer, with the calls tests use
// most in a context-free form that fails the test on a broken proof or
// signature instead of returning the error.
type Device struct {
	softdevice.Device
	ts *TestServer
}

// APIError is a device API error answer.
type APIError = softdevice.APIError

// Signer returns a protocol.Signer over k.
func Signer(k *ecdsa.PrivateKey) protocol.Signer { return softdevice.Signer(k) }

// NewDevice makes a device and registers it as a client.
func (ts *TestServer) NewDevice() *Device {
	ts.t.Helper()
	sd, err := softdevice.New(ts.URL, &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
	if err != nil {
		ts.t.Fatalf("servertest: device key: %v", err)
	}
	d := &Device{Device: *sd, ts: ts}
	if err := d.RegisterClient(); err != nil {
		ts.t.Fatalf("servertest: registering device: %v", err)
	}
	return d
}

// On returns a copy of d that talks to ts (another server instance sharing
// d's store): the same keys, registration, tokens and enrollment.
func (d *Device) On(ts *TestServer) *Device {
	c := *d
	c.ts, c.BaseURL = ts, ts.URL
	return &c
}

// Proof makes a DPoP proof for method and path (relative to the server URL),
// bound to token when non-empty; mutate may change the claims.
func (d *Device) Proof(method, path, token string, mutate func(*protocol.ProofClaims)) string {
	p, err := d.Device.Proof(method, path, token, mutate)
	if err != nil {
		d.ts.t.Fatalf("servertest: proof: %v", err)
	}
	return p
}

// Raw sends a request with the given proof (and access token) and returns
// the status and body.
func (d *Device) Raw(method, path, proof, token string, body any) (int, []byte, error) {
	return d.Device.Raw(context.Background(), method, path, proof, token, body)
}

// Call sends body with a fresh proof (and the access token when withToken)
// and decodes a 200 answer into out; other answers become *APIError.
func (d *Device) Call(method, path string, withToken bool, body, out any) error {
	return d.Device.Call(context.Background(), method, path, withToken, body, out)
}

// RegisterClient registers the app instance (proof with jwk) for d.AppID
// with d.RedirectURI; ClientID must be empty.
func (d *Device) RegisterClient() error { return d.Device.RegisterClient(context.Background()) }

// Login runs the browser part (authorize page + form post) and returns the
// authorization code and the PKCE verifier.
func (d *Device) Login(username, password string) (code, verifier string, err error) {
	return d.Device.Login(context.Background(), username, password)
}

// RegisterUser logs in and exchanges the code with a new PIN.
func (d *Device) RegisterUser(username, password, pin string) error {
	return d.Device.RegisterUser(context.Background(), username, password, pin)
}

// ExchangeCode redeems an authorization code with the new PIN.
func (d *Device) ExchangeCode(code, verifier, pin string) error {
	return d.Device.ExchangeCode(context.Background(), code, verifier, pin)
}

// Authenticate runs the PIN grant for the device's profile.
func (d *Device) Authenticate(pin string) error {
	return d.Device.Authenticate(context.Background(), pin)
}

// NewCSR makes a PKCS#10 request signed by key.
func NewCSR(key *ecdsa.PrivateKey) string {
	csr, _ := softdevice.NewCSR(key)
	return csr
}

// Enroll creates an enrollment key and enrolls it.
func (d *Device) Enroll() error { return d.Device.Enroll(context.Background()) }

// Claim claims an OTP.
func (d *Device) Claim(otp string) (protocol.ClaimResponse, error) {
	return d.Device.Claim(context.Background(), otp)
}

// SignedAnswer builds an answer to a claim signed by the enrollment key;
// mutate (optional) changes the fields before signing.
func (d *Device) SignedAnswer(c protocol.ClaimResponse, decision string, mutate func(*protocol.AnswerRequest)) protocol.AnswerRequest {
	a, err := d.Device.SignedAnswer(c, decision, mutate)
	if err != nil {
		d.ts.t.Fatalf("servertest: signing answer: %v", err)
	}
	return a
}

// Answer sends an answer.
func (d *Device) Answer(a protocol.AnswerRequest) (protocol.AnswerResponse, error) {
	return d.Device.Answer(context.Background(), a)
}

// Enrolled registers user (password) with pin on a new device and enrolls it.
func (ts *TestServer) Enrolled(username, password, pin string) *Device {
	ts.t.Helper()
	d := ts.NewDevice()
	if err := d.RegisterUser(username, password, pin); err != nil {
		ts.t.Fatalf("servertest: registering %s: %v", username, err)
	}
	if err := d.Enroll(); err != nil {
		ts.t.Fatalf("servertest: enrolling %s: %v", username, err)
	}
	return d
}

// WantError fails t unless err is a device API error with the error string
// code and its HTTP status; it returns the error for further checks.
func WantError(t testing.TB, err error, code string) *APIError {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want device error %s", err, code)
	}
	if ae.ErrorResponse.Error != code {
		t.Fatalf("error = %s (%q, HTTP %d), want %s", ae.ErrorResponse.Error, ae.ErrorDescription, ae.Status, code)
	}
	if ae.Status != protocol.HTTPStatus(code) && ae.Status != http.StatusRequestEntityTooLarge && ae.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("HTTP %d for %s, want %d", ae.Status, code, protocol.HTTPStatus(code))
	}
	return ae
}

// CheckJSONError fails t unless resp is a 4xx JSON answer with a non-empty
// "error" string (it reads and closes the body).
func CheckJSONError(t testing.TB, what string, resp *http.Response) {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(body) > 200 {
		body = append(body[:200], "…"...)
	}
	if resp.StatusCode < 400 || resp.StatusCode > 499 {
		t.Errorf("%s: HTTP %d, want 4xx (%s)", what, resp.StatusCode, body)
		return
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("%s: Content-Type %q", what, resp.Header.Get("Content-Type"))
		return
	}
	var e map[string]any
	if json.Unmarshal(body, &e) != nil {
		t.Errorf("%s: body is not JSON: %s", what, body)
		return
	}
	if s, _ := e["error"].(string); s == "" {
		t.Errorf("%s: no error code in %s", what, body)
	}
}

// LimitedToken runs the client_credentials grant (profileID empty) or the
// implicit grant for profileID with scope and returns the access token.
func (d *Device) LimitedToken(profileID, scope string) (string, error) {
	return d.Device.LimitedToken(context.Background(), profileID, scope)
}

// GetWith sends a GET of path with token and a fresh proof and decodes a 200
// answer into out; other answers become *APIError.
func (d *Device) GetWith(path, token string, out any) error {
	return d.Device.Get(context.Background(), path, token, out)
}
