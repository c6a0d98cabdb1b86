package softdevice

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
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/openmobileauth/oma/server"
)

// maxAnswer bounds an answer body read by Raw.
const maxAnswer = 8 << 20

// Device is a software device. Set-up (RegisterClient, Login, ExchangeCode,
// Enroll or Setup) must run on one goroutine; after it, Claim, SignedAnswer,
// Answer and Respond only read the device and may run concurrently (several
// transactions of one device at once).
type Device struct {
	BaseURL     string       // server base URL, no trailing slash
	HTTP        *http.Client // must not follow redirects (NewHTTPClient)
	ClientKey   *ecdsa.PrivateKey
	ClientID    string // "" until RegisterClient; proofs then carry the key (jwk)
	AppID       string // the application RegisterClient names (New: the demo's)
	Platform    string // RegisterClient's platform (New: "desktop")
	RedirectURI string // New: the demo application's
	Scope       string // requested by Login ("" = "openid")
	ProfileID   string
	UserID      string
	Access      string // access token
	Refresh     string // refresh token
	EnrollKey   *ecdsa.PrivateKey
	Enrollment  string // enrollment id
	Certificate *x509.Certificate
}

// New makes a device with a fresh client key for the demo application that
// talks to the server at baseURL through hc (nil: a client of its own).
func New(baseURL string, hc *http.Client) (*Device, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = NewHTTPClient(4, 30*time.Second)
	}
	return &Device{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: hc, ClientKey: k,
		AppID: server.DemoAppID, Platform: "desktop", RedirectURI: server.DemoRedirectURI}, nil
}

// NewHTTPClient returns an HTTP client for devices on loopback: keep-alive
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

// APIError is a non-200 answer of the server: what the device was doing, the
// HTTP status and the error object of the body (device, OAuth and
// relying-party APIs all use its "error" member).
type APIError struct {
	Op     string // "claim", "answer", "token", ... (the path when unnamed)
	Status int
	protocol.ErrorResponse
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s: %s", e.Op, e.Status, e.ErrorResponse.Error, e.ErrorDescription)
}

// Signer returns a protocol.Signer over k (randomized ECDSA).
func Signer(k *ecdsa.PrivateKey) protocol.Signer {
	return func(d []byte) ([]byte, error) { return ecdsa.SignASN1(rand.Reader, k, d) }
}

// Proof makes a DPoP proof for method and path (relative to BaseURL), bound
// to token when non-empty, with kid = ClientID (the key itself while
// ClientID is empty); mutate (optional) may change the claims.
func (d *Device) Proof(method, path, token string, mutate func(*protocol.ProofClaims)) (string, error) {
	c := protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: method, HTU: protocol.HTU(d.BaseURL + path), IAT: time.Now().Unix()}
	if token != "" {
		c.ATH = protocol.AccessTokenHash(token)
	}
	if mutate != nil {
		mutate(&c)
	}
	var pub *ecdsa.PublicKey
	if d.ClientID == "" {
		pub = &d.ClientKey.PublicKey
	}
	return protocol.MakeProof(Signer(d.ClientKey), d.ClientID, pub, c)
}

// Raw sends body (JSON; nil: none) to path with the given proof and access
// token (each omitted when empty) and returns the status and the answer.
func (d *Device) Raw(ctx context.Context, method, path, proof, token string, body any) (int, []byte, error) {
	var rdr io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.BaseURL+path, rdr)
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
		return 0, nil, fmt.Errorf("%s: %w", opName(path), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return resp.StatusCode, b, fmt.Errorf("%s: reading answer: %w", opName(path), err)
	}
	return resp.StatusCode, b, nil
}

// Call sends body with a fresh proof (and the access token when withToken)
// and decodes a 200 answer into out (nil: discard); any other answer is an
// *APIError.
func (d *Device) Call(ctx context.Context, method, path string, withToken bool, body, out any) error {
	token := ""
	if withToken {
		token = d.Access
	}
	proof, err := d.Proof(method, path, token, nil)
	if err != nil {
		return fmt.Errorf("%s: proof: %w", opName(path), err)
	}
	status, b, err := d.Raw(ctx, method, path, proof, token, body)
	if err != nil {
		return err
	}
	return Decode(opName(path), status, b, out)
}

// Get sends a GET of path with token (may be empty) and a fresh proof and
// decodes a 200 answer into out; other answers are *APIError.
func (d *Device) Get(ctx context.Context, path, token string, out any) error {
	proof, err := d.Proof(http.MethodGet, path, token, nil)
	if err != nil {
		return fmt.Errorf("%s: proof: %w", opName(path), err)
	}
	status, b, err := d.Raw(ctx, http.MethodGet, path, proof, token, nil)
	if err != nil {
		return err
	}
	return Decode(opName(path), status, b, out)
}

// Decode turns a device API answer into out (200; out nil: discard) or an
// *APIError named op.
func Decode(op string, status int, b []byte, out any) error {
	if status != http.StatusOK {
		e := &APIError{Op: op, Status: status}
		_ = json.Unmarshal(b, &e.ErrorResponse)
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: decoding answer: %w", op, err)
	}
	return nil
}

// ops names the device calls in errors (a load report counts errors by it).
var ops = map[string]string{
	protocol.PathClients: "register client",
	protocol.PathToken:   "token",
	protocol.PathEnroll:  "enroll",
	protocol.PathClaim:   "claim",
	protocol.PathAnswer:  "answer",
}

func opName(path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if op, ok := ops[path]; ok {
		return op
	}
	return path
}

// RegisterClient registers the app instance for AppID with RedirectURI (the
// proof carries the client key); ClientID must be empty.
func (d *Device) RegisterClient(ctx context.Context) error {
	key, err := protocol.EncodePublicKey(&d.ClientKey.PublicKey)
	if err != nil {
		return err
	}
	var resp protocol.ClientRegistrationResponse
	if err := d.Call(ctx, http.MethodPost, protocol.PathClients, false, protocol.ClientRegistrationRequest{
		AppID: d.AppID, AppVersion: "1.0.0", Platform: d.Platform, ClientKey: key, RedirectURI: d.RedirectURI}, &resp); err != nil {
		return err
	}
	if resp.ClientID == "" {
		return errors.New("register client: empty client_id")
	}
	d.ClientID = resp.ClientID
	return nil
}

// Login runs the browser part of user registration (the authorize page and
// its login form) and returns the authorization code and the PKCE verifier.
// A refused password is an *APIError of op "login (wrong password?)" with
// the status of the page shown again (200); another status of the page or
// of the form post (a rate limit's 429) is an *APIError of op "login page"
// or "login form".
func (d *Device) Login(ctx context.Context, username, password string) (code, verifier string, err error) {
	verifier, challenge := protocol.NewPKCE()
	state := protocol.RandomToken(16)
	scope := d.Scope
	if scope == "" {
		scope = "openid"
	}
	q := url.Values{"response_type": {"code"}, "client_id": {d.ClientID}, "redirect_uri": {d.RedirectURI}, "scope": {scope},
		"state": {state}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	u := d.BaseURL + protocol.PathAuthorize + "?" + q.Encode()
	loc, err := weblogin.Login(ctx, d.HTTP, u, username, password)
	var se *weblogin.StatusError
	switch {
	case errors.Is(err, weblogin.ErrRefused):
		return "", "", &APIError{Op: "login (wrong password?)", Status: http.StatusOK}
	case errors.As(err, &se):
		return "", "", &APIError{Op: se.Op, Status: se.Status}
	case err != nil:
		return "", "", fmt.Errorf("login: %w", err)
	}
	if loc.Query().Get("state") != state || !strings.HasPrefix(loc.String(), d.RedirectURI) {
		return "", "", errors.New("login: bad redirect")
	}
	if code = loc.Query().Get("code"); code == "" {
		return "", "", errors.New("login: redirect without code")
	}
	return code, verifier, nil
}

// ExchangeCode redeems an authorization code, creating the PIN, and keeps
// the profile, user and tokens.
func (d *Device) ExchangeCode(ctx context.Context, code, verifier, pin string) error {
	var tr protocol.TokenResponse
	if err := d.Call(ctx, http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantAuthorizationCode, Code: code,
		CodeVerifier: verifier, RedirectURI: d.RedirectURI, Pin: pin}, &tr); err != nil {
		return err
	}
	d.ProfileID, d.UserID, d.Access, d.Refresh = tr.ProfileID, tr.UserID, tr.AccessToken, tr.RefreshToken
	return nil
}

// RegisterUser logs in and exchanges the code with a new PIN.
func (d *Device) RegisterUser(ctx context.Context, username, password, pin string) error {
	code, verifier, err := d.Login(ctx, username, password)
	if err != nil {
		return err
	}
	return d.ExchangeCode(ctx, code, verifier, pin)
}

// Authenticate runs the PIN grant for the device's profile.
func (d *Device) Authenticate(ctx context.Context, pin string) error {
	var tr protocol.TokenResponse
	if err := d.Call(ctx, http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantPin, ProfileID: d.ProfileID, Pin: pin}, &tr); err != nil {
		return err
	}
	d.Access, d.Refresh = tr.AccessToken, tr.RefreshToken
	return nil
}

// LimitedToken runs the client_credentials grant (profileID empty) or the
// implicit grant for profileID with scope and returns the access token.
func (d *Device) LimitedToken(ctx context.Context, profileID, scope string) (string, error) {
	req := protocol.TokenRequest{GrantType: protocol.GrantClientCredentials, Scope: scope}
	if profileID != "" {
		req = protocol.TokenRequest{GrantType: protocol.GrantImplicit, ProfileID: profileID, Scope: scope}
	}
	var tr protocol.TokenResponse
	err := d.Call(ctx, http.MethodPost, protocol.PathToken, false, req, &tr)
	return tr.AccessToken, err
}

// NewCSR makes a PKCS#10 request signed by key (base64url DER).
func NewCSR(key *ecdsa.PrivateKey) (string, error) {
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "oma-device"}}, key)
	if err != nil {
		return "", err
	}
	return protocol.B64.EncodeToString(der), nil
}

// Enroll makes a fresh enrollment key and enrolls it for mobile
// authentication with a CSR (proof of possession); it keeps the key, the
// enrollment id and the certificate.
func (d *Device) Enroll(ctx context.Context) error {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	csr, err := NewCSR(k)
	if err != nil {
		return err
	}
	var er protocol.EnrollResponse
	if err := d.Call(ctx, http.MethodPost, protocol.PathEnroll, true, protocol.EnrollRequest{CSR: csr}, &er); err != nil {
		return err
	}
	der, err := protocol.B64.DecodeString(er.Certificate)
	if err != nil {
		return fmt.Errorf("enroll: certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("enroll: certificate: %w", err)
	}
	d.EnrollKey, d.Enrollment, d.Certificate = k, er.EnrollmentID, cert
	return nil
}

// Setup runs the whole set-up of a device: client registration, login,
// code exchange with pin, enrollment.
func (d *Device) Setup(ctx context.Context, username, password, pin string) error {
	if err := d.RegisterClient(ctx); err != nil {
		return err
	}
	if err := d.RegisterUser(ctx, username, password, pin); err != nil {
		return err
	}
	return d.Enroll(ctx)
}

// Claim claims the request behind otp (round trip 1 of 2).
func (d *Device) Claim(ctx context.Context, otp string) (protocol.ClaimResponse, error) {
	var cr protocol.ClaimResponse
	err := d.Call(ctx, http.MethodPost, protocol.PathClaim, false, protocol.ClaimRequest{OTP: otp, ProfileID: d.ProfileID}, &cr)
	return cr, err
}

// SignedAnswer builds the answer to a claim, signed by the enrollment key;
// mutate (optional) changes the fields before signing.
func (d *Device) SignedAnswer(c protocol.ClaimResponse, decision string, mutate func(*protocol.AnswerRequest)) (protocol.AnswerRequest, error) {
	a := protocol.AnswerRequest{TransactionID: c.TransactionID, ProfileID: d.ProfileID, Decision: decision,
		MessageHash: protocol.MessageHash(c.Message), Nonce: c.Nonce, Time: time.Now().Unix()}
	if mutate != nil {
		mutate(&a)
	}
	if d.EnrollKey == nil {
		return a, errors.New("answer: device not enrolled")
	}
	if err := protocol.SignAnswer(Signer(d.EnrollKey), &a); err != nil {
		return a, fmt.Errorf("answer: signing: %w", err)
	}
	return a, nil
}

// Answer sends an answer (round trip 2 of 2).
func (d *Device) Answer(ctx context.Context, a protocol.AnswerRequest) (protocol.AnswerResponse, error) {
	var ar protocol.AnswerResponse
	err := d.Call(ctx, http.MethodPost, protocol.PathAnswer, false, a, &ar)
	return ar, err
}

// Respond signs decision over the claim and sends it (SignedAnswer, Answer).
func (d *Device) Respond(ctx context.Context, c protocol.ClaimResponse, decision string) (protocol.AnswerResponse, error) {
	a, err := d.SignedAnswer(c, decision, nil)
	if err != nil {
		return protocol.AnswerResponse{}, err
	}
	return d.Answer(ctx, a)
}
