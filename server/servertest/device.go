package servertest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/openmobileauth/oma/server"
)

// Device is a test device with software P-256 keys speaking the device
// protocol of core/protocol against a TestServer.
type Device struct {
	ts          *TestServer
	HTTP        *http.Client // does not follow redirects
	ClientKey   *ecdsa.PrivateKey
	ClientID    string
	AppID       string // the application RegisterClient names (default the demo's)
	RedirectURI string
	Scope       string // requested by Login ("" = "openid")
	ProfileID   string
	UserID      string
	Access      string
	Refresh     string
	EnrollKey   *ecdsa.PrivateKey
	Enrollment  string
	Certificate *x509.Certificate
}

// APIError is a device API error answer.
type APIError struct {
	Status int
	protocol.ErrorResponse
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("HTTP %d: %s: %s", e.Status, e.ErrorResponse.Error, e.ErrorDescription)
}

// Signer returns a protocol.Signer over k.
func Signer(k *ecdsa.PrivateKey) protocol.Signer {
	return func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }
}

// NewDevice makes a device and registers it as a client.
func (ts *TestServer) NewDevice() *Device {
	ts.t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	d := &Device{ts: ts, ClientKey: k, AppID: server.DemoAppID, RedirectURI: server.DemoRedirectURI,
		HTTP: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if err := d.RegisterClient(); err != nil {
		ts.t.Fatalf("servertest: registering device: %v", err)
	}
	return d
}

// On returns a copy of d that talks to ts (another server instance sharing
// d's store): the same keys, registration, tokens and enrollment.
func (d *Device) On(ts *TestServer) *Device {
	c := *d
	c.ts = ts
	return &c
}

// Proof makes a DPoP proof for method and path (relative to the server URL),
// bound to token when non-empty; mutate may change the claims.
func (d *Device) Proof(method, path, token string, mutate func(*protocol.ProofClaims)) string {
	c := protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: method, HTU: protocol.HTU(d.ts.URL + path), IAT: time.Now().Unix()}
	if token != "" {
		c.ATH = protocol.AccessTokenHash(token)
	}
	if mutate != nil {
		mutate(&c)
	}
	kid := d.ClientID
	var pub *ecdsa.PublicKey
	if kid == "" {
		pub = &d.ClientKey.PublicKey
	}
	p, err := protocol.MakeProof(Signer(d.ClientKey), kid, pub, c)
	if err != nil {
		d.ts.t.Fatalf("servertest: proof: %v", err)
	}
	return p
}

// Raw sends a request with the given proof (and access token) and returns
// the status and body.
func (d *Device) Raw(method, path, proof, token string, body any) (int, []byte, error) {
	var rdr io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, d.ts.URL+path, rdr)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	}
	if proof != "" {
		req.Header.Set(protocol.HeaderDPoP, proof)
	}
	if token != "" {
		req.Header.Set("Authorization", protocol.AuthSchemeDPoP+" "+token)
	}
	resp, err := d.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Call sends body with a fresh proof (and the access token when withToken)
// and decodes a 200 answer into out; other answers become *APIError.
func (d *Device) Call(method, path string, withToken bool, body, out any) error {
	token := ""
	if withToken {
		token = d.Access
	}
	status, b, err := d.Raw(method, path, d.Proof(method, path, token, nil), token, body)
	if err != nil {
		return err
	}
	return decode(status, b, out)
}

func decode(status int, b []byte, out any) error {
	if status != http.StatusOK {
		e := &APIError{Status: status}
		_ = json.Unmarshal(b, &e.ErrorResponse)
		return e
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// RegisterClient registers the app instance (proof with jwk) for d.AppID
// with d.RedirectURI; ClientID must be empty.
func (d *Device) RegisterClient() error {
	key, _ := protocol.EncodePublicKey(&d.ClientKey.PublicKey)
	var resp protocol.ClientRegistrationResponse
	err := d.Call(http.MethodPost, protocol.PathClients, false, protocol.ClientRegistrationRequest{
		AppID: d.AppID, AppVersion: "1.0.0", Platform: "desktop", ClientKey: key, RedirectURI: d.RedirectURI}, &resp)
	if err == nil {
		d.ClientID = resp.ClientID
	}
	return err
}

// Login runs the browser part (authorize page + form post) and returns the
// authorization code and the PKCE verifier.
func (d *Device) Login(username, password string) (code, verifier string, err error) {
	verifier, challenge := protocol.NewPKCE()
	state := protocol.RandomToken(8)
	scope := d.Scope
	if scope == "" {
		scope = "openid"
	}
	q := url.Values{"response_type": {"code"}, "client_id": {d.ClientID}, "redirect_uri": {d.RedirectURI}, "scope": {scope},
		"state": {state}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	u := d.ts.URL + protocol.PathAuthorize + "?" + q.Encode()
	loc, err := weblogin.Login(context.Background(), d.HTTP, u, username, password)
	var se *weblogin.StatusError
	switch {
	case errors.Is(err, weblogin.ErrRefused):
		return "", "", fmt.Errorf("login: HTTP %d (wrong password?)", http.StatusOK)
	case errors.As(err, &se) && se.Op == "login form":
		return "", "", fmt.Errorf("login: HTTP %d (wrong password?)", se.Status)
	case err != nil:
		return "", "", fmt.Errorf("login: %w", err)
	}
	if loc.Query().Get("state") != state || !strings.HasPrefix(loc.String(), d.RedirectURI) {
		return "", "", fmt.Errorf("login: bad redirect")
	}
	return loc.Query().Get("code"), verifier, nil
}

// RegisterUser logs in and exchanges the code with a new PIN.
func (d *Device) RegisterUser(username, password, pin string) error {
	code, verifier, err := d.Login(username, password)
	if err != nil {
		return err
	}
	return d.ExchangeCode(code, verifier, pin)
}

// ExchangeCode redeems an authorization code with the new PIN.
func (d *Device) ExchangeCode(code, verifier, pin string) error {
	var tr protocol.TokenResponse
	err := d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantAuthorizationCode, Code: code,
		CodeVerifier: verifier, RedirectURI: d.RedirectURI, Pin: pin}, &tr)
	if err == nil {
		d.ProfileID, d.UserID, d.Access, d.Refresh = tr.ProfileID, tr.UserID, tr.AccessToken, tr.RefreshToken
	}
	return err
}

// Authenticate runs the PIN grant for the device's profile.
func (d *Device) Authenticate(pin string) error {
	var tr protocol.TokenResponse
	err := d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantPin, ProfileID: d.ProfileID, Pin: pin}, &tr)
	if err == nil {
		d.Access, d.Refresh = tr.AccessToken, tr.RefreshToken
	}
	return err
}

// NewCSR makes a PKCS#10 request signed by key.
func NewCSR(key *ecdsa.PrivateKey) string {
	der, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "oma-device"}}, key)
	return protocol.B64.EncodeToString(der)
}

// Enroll creates an enrollment key and enrolls it.
func (d *Device) Enroll() error {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var er protocol.EnrollResponse
	if err := d.Call(http.MethodPost, protocol.PathEnroll, true, protocol.EnrollRequest{CSR: NewCSR(k)}, &er); err != nil {
		return err
	}
	der, err := protocol.B64.DecodeString(er.Certificate)
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	d.EnrollKey, d.Enrollment, d.Certificate = k, er.EnrollmentID, cert
	return nil
}

// Claim claims an OTP.
func (d *Device) Claim(otp string) (protocol.ClaimResponse, error) {
	var cr protocol.ClaimResponse
	err := d.Call(http.MethodPost, protocol.PathClaim, false, protocol.ClaimRequest{OTP: otp, ProfileID: d.ProfileID}, &cr)
	return cr, err
}

// SignedAnswer builds an answer to a claim signed by the enrollment key;
// mutate (optional) changes the fields before signing.
func (d *Device) SignedAnswer(c protocol.ClaimResponse, decision string, mutate func(*protocol.AnswerRequest)) protocol.AnswerRequest {
	a := protocol.AnswerRequest{TransactionID: c.TransactionID, ProfileID: d.ProfileID, Decision: decision,
		MessageHash: protocol.MessageHash(c.Message), Nonce: c.Nonce, Time: time.Now().Unix()}
	if mutate != nil {
		mutate(&a)
	}
	if err := protocol.SignAnswer(Signer(d.EnrollKey), &a); err != nil {
		d.ts.t.Fatalf("servertest: signing answer: %v", err)
	}
	return a
}

// Answer sends an answer.
func (d *Device) Answer(a protocol.AnswerRequest) (protocol.AnswerResponse, error) {
	var ar protocol.AnswerResponse
	err := d.Call(http.MethodPost, protocol.PathAnswer, false, a, &ar)
	return ar, err
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
	req := protocol.TokenRequest{GrantType: protocol.GrantClientCredentials, Scope: scope}
	if profileID != "" {
		req = protocol.TokenRequest{GrantType: protocol.GrantImplicit, ProfileID: profileID, Scope: scope}
	}
	var tr protocol.TokenResponse
	err := d.Call(http.MethodPost, protocol.PathToken, false, req, &tr)
	return tr.AccessToken, err
}

// GetWith sends a GET of path with token and a fresh proof and decodes a 200
// answer into out; other answers become *APIError.
func (d *Device) GetWith(path, token string, out any) error {
	status, b, err := d.Raw(http.MethodGet, path, d.Proof(http.MethodGet, path, token, nil), token, nil)
	if err != nil {
		return err
	}
	return decode(status, b, out)
}
