package loadgen

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
	"sync"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/openmobileauth/oma/server"
)

// RedirectURI is the app redirect URI simulated devices register with.
const RedirectURI = server.DemoRedirectURI

// HTTPError is a non-2xx answer of the server: the status and the body's
// "error" string (device API and RP API both use that field).
type HTTPError struct {
	Op     string
	Status int
	Code   string
	Body   string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.Op, e.Status, e.Code)
}

// Device is a simulated phone: a P-256 client key registered with the server,
// one user profile with its tokens, and a P-256 enrollment key for mobile
// authentication. Set-up (Register, Login, Token, Enroll or Setup) must run
// on one goroutine; after it, Claim and Answer only read the device and may
// run concurrently (several transactions of one device at once).
type Device struct {
	base   string // server base URL, no trailing slash
	http   *http.Client
	key    *ecdsa.PrivateKey
	encKey *ecdsa.PrivateKey // enrollment key

	ClientID     string
	ProfileID    string
	UserID       string
	AccessToken  string
	EnrollmentID string

	hotOnce sync.Once // FastClient's precomputed constants (fast.go)
	hot     *deviceHot
	hotErr  error
}

// NewDevice makes a device with a fresh client key that talks to base using
// hc (which must not follow redirects; NewHTTPClient makes a suitable one).
func NewDevice(base string, hc *http.Client) (*Device, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return &Device{base: strings.TrimRight(base, "/"), http: hc, key: k}, nil
}

// NewHTTPClient returns an HTTP client for loopback load: keep-alive
// connections (up to maxConns per host), a per-request timeout, no redirects.
func NewHTTPClient(maxConns int, timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = maxConns * 2
	tr.MaxIdleConnsPerHost = maxConns
	tr.MaxConnsPerHost = 0
	tr.IdleConnTimeout = 90 * time.Second
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func signerOf(k *ecdsa.PrivateKey) protocol.Signer {
	return func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }
}

// proof makes the DPoP header value for method/path; with withJWK the key is
// sent inline (client registration), otherwise kid = ClientID.
func (d *Device) proof(method, path, accessToken string, withJWK bool) (string, error) {
	c := protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: method, HTU: d.base + path, IAT: time.Now().Unix()}
	if accessToken != "" {
		c.ATH = protocol.AccessTokenHash(accessToken)
	}
	kid := d.ClientID
	var pub *ecdsa.PublicKey
	if withJWK {
		kid, pub = "", &d.key.PublicKey
	}
	return protocol.MakeProof(signerOf(d.key), kid, pub, c)
}

// call POSTs body as JSON to path with a DPoP proof (and the access token when
// withToken) and decodes a 2xx answer into out.
func (d *Device) call(ctx context.Context, op, path string, body, out any, withToken, withJWK bool) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	tok := ""
	if withToken {
		tok = d.AccessToken
	}
	p, err := d.proof(http.MethodPost, path, tok, withJWK)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	req.Header.Set(protocol.HeaderDPoP, p)
	if tok != "" {
		req.Header.Set("Authorization", protocol.AuthSchemeDPoP+" "+tok)
	}
	return doJSON(d.http, req, op, out)
}

// doJSON runs req and decodes a 2xx JSON answer into out (nil: discard); any
// other status is an *HTTPError.
func doJSON(hc *http.Client, req *http.Request, op string, out any) error {
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: reading answer: %w", op, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		return &HTTPError{Op: op, Status: resp.StatusCode, Code: e.Error, Body: string(body)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: decoding answer: %w", op, err)
	}
	return nil
}

// Register registers the app instance (POST /device/v1/clients).
func (d *Device) Register(ctx context.Context) error {
	pk, err := protocol.EncodePublicKey(&d.key.PublicKey)
	if err != nil {
		return err
	}
	var r protocol.ClientRegistrationResponse
	err = d.call(ctx, "register client", protocol.PathClients, protocol.ClientRegistrationRequest{
		AppID: server.DemoAppID, AppVersion: "1.0.0", Platform: "desktop", ClientKey: pk, RedirectURI: RedirectURI,
	}, &r, false, true)
	if err != nil {
		return err
	}
	if r.ClientID == "" {
		return errors.New("register client: empty client_id")
	}
	d.ClientID = r.ClientID
	return nil
}

// Login runs the browser part of user registration: GET the authorize page,
// POST the login form to the same URL, and returns the authorization code and
// the PKCE verifier from the 302 redirect.
func (d *Device) Login(ctx context.Context, username, password string) (code, verifier string, err error) {
	verifier, challenge := protocol.NewPKCE()
	state := protocol.RandomToken(16)
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {d.ClientID},
		"redirect_uri":          {RedirectURI},
		"scope":                 {"openid"},
		"state":                 {state},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
	}
	u := d.base + protocol.PathAuthorize + "?" + q.Encode()
	loc, err := weblogin.Login(ctx, d.http, u, username, password)
	var se *weblogin.StatusError
	switch {
	case errors.As(err, &se):
		return "", "", &HTTPError{Op: se.Op, Status: se.Status}
	case errors.Is(err, weblogin.ErrRefused):
		return "", "", &HTTPError{Op: "login (wrong password?)", Status: http.StatusOK}
	case err != nil:
		return "", "", fmt.Errorf("login: %w", err)
	}
	if got := loc.Query().Get("state"); got != state {
		return "", "", errors.New("login: redirect state does not match")
	}
	code = loc.Query().Get("code")
	if code == "" {
		return "", "", errors.New("login: redirect without code")
	}
	return code, verifier, nil
}

// Token exchanges the authorization code for tokens, creating the PIN.
func (d *Device) Token(ctx context.Context, code, verifier, pin string) error {
	var r protocol.TokenResponse
	err := d.call(ctx, "token", protocol.PathToken, protocol.TokenRequest{
		GrantType: protocol.GrantAuthorizationCode, Code: code, CodeVerifier: verifier,
		RedirectURI: RedirectURI, Pin: pin,
	}, &r, false, false)
	if err != nil {
		return err
	}
	if r.AccessToken == "" || r.ProfileID == "" {
		return errors.New("token: answer without access token or profile id")
	}
	d.AccessToken, d.ProfileID, d.UserID = r.AccessToken, r.ProfileID, r.UserID
	return nil
}

// Enroll makes a fresh enrollment key and enrolls it for mobile authentication
// with a CSR (proof of possession).
func (d *Device) Enroll(ctx context.Context) error {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: "oma-loadgen " + d.ProfileID},
	}, k)
	if err != nil {
		return err
	}
	var r protocol.EnrollResponse
	if err := d.call(ctx, "enroll", protocol.PathEnroll, protocol.EnrollRequest{CSR: protocol.B64.EncodeToString(csr)}, &r, true, false); err != nil {
		return err
	}
	d.encKey, d.EnrollmentID = k, r.EnrollmentID
	return nil
}

// Setup runs the whole device set-up: register, login, token with pin, enroll.
func (d *Device) Setup(ctx context.Context, username, password, pin string) error {
	if err := d.Register(ctx); err != nil {
		return err
	}
	code, verifier, err := d.Login(ctx, username, password)
	if err != nil {
		return err
	}
	if err := d.Token(ctx, code, verifier, pin); err != nil {
		return err
	}
	return d.Enroll(ctx)
}

// Claim claims the request behind otp (round trip 1 of 2).
func (d *Device) Claim(ctx context.Context, otp string) (*protocol.ClaimResponse, error) {
	var r protocol.ClaimResponse
	if err := d.call(ctx, "claim", protocol.PathClaim, protocol.ClaimRequest{OTP: otp, ProfileID: d.ProfileID}, &r, false, false); err != nil {
		return nil, err
	}
	return &r, nil
}

// Answer signs and sends the decision on a claimed request (round trip 2 of 2).
func (d *Device) Answer(ctx context.Context, c *protocol.ClaimResponse, decision string) (*protocol.AnswerResponse, error) {
	if d.encKey == nil {
		return nil, errors.New("answer: device not enrolled")
	}
	a := &protocol.AnswerRequest{
		TransactionID: c.TransactionID, ProfileID: d.ProfileID, Decision: decision,
		MessageHash: protocol.MessageHash(c.Message), Nonce: c.Nonce, Time: time.Now().Unix(),
	}
	if err := protocol.SignAnswer(signerOf(d.encKey), a); err != nil {
		return nil, err
	}
	var r protocol.AnswerResponse
	if err := d.call(ctx, "answer", protocol.PathAnswer, a, &r, false, false); err != nil {
		return nil, err
	}
	return &r, nil
}
