package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
)

// Timeouts of the HTTP client.
const (
	DialTimeout     = 10 * time.Second
	TLSTimeout      = 10 * time.Second
	HeaderTimeout   = 30 * time.Second
	RequestTimeout  = 60 * time.Second
	maxResponseBody = 1 << 20
)

type httpClient struct {
	c   *http.Client
	tr  *http.Transport
	pin []byte
}

// errPinMismatch is returned by the TLS check when the server key is not the pinned one.
var errPinMismatch = errors.New("server certificate does not match the pinned public key")

func newHTTPClient(pin []byte) *httpClient {
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if pin != nil {
		tlsCfg.VerifyConnection = func(cs tls.ConnectionState) error {
			return checkPin(cs.PeerCertificates, pin)
		}
	}
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   TLSTimeout,
		ResponseHeaderTimeout: HeaderTimeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}
	return &httpClient{tr: tr, pin: pin, c: &http.Client{
		Transport: tr,
		Timeout:   RequestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // the device API never redirects; never follow one with a token
		},
	}}
}

func (h *httpClient) close() { h.tr.CloseIdleConnections() }

// checkPin accepts the connection when the leaf certificate's SPKI hashes to pin.
func checkPin(chain []*x509.Certificate, pin []byte) error {
	if len(chain) == 0 {
		return errPinMismatch
	}
	h := sha256.Sum256(chain[0].RawSubjectPublicKeyInfo)
	if subtle.ConstantTimeCompare(h[:], pin) != 1 {
		return errPinMismatch
	}
	return nil
}

// request is one device API call.
type request struct {
	method       string
	path         string // relative to the base URL, may carry a query
	body         any    // JSON-encoded when not nil
	rawBody      []byte // sent as is when body is nil
	headers      map[string]string
	accessToken  string // sent as "Authorization: DPoP <token>" with ath in the proof
	registration bool   // client registration: the proof carries the jwk, no kid
}

// ServerError is the cause of every error made from a server refusal; get it
// with errors.As on the *dispatch.Error.
type ServerError struct {
	Status int
	Body   protocol.ErrorResponse
}

// Error implements error (no secrets: status and the error string only).
func (e *ServerError) Error() string {
	return fmt.Sprintf("server answered %d %s", e.Status, e.Body.Error)
}

// AsServerError returns the server refusal behind err, if any.
func AsServerError(err error) (*ServerError, bool) {
	var se *ServerError
	ok := errors.As(err, &se)
	return se, ok
}

// Call sends a device API request with the client's DPoP proof (and the access
// token when not empty) and decodes a 2xx JSON answer into out (may be nil).
func (c *Client) Call(ctx context.Context, method, path string, body any, accessToken string, out any) error {
	s, err := c.session()
	if err != nil {
		return err
	}
	return c.do(ctx, s, request{method: method, path: path, body: body, accessToken: accessToken}, out)
}

// Response is a raw answer of Raw.
type Response struct {
	Status  int
	Headers map[string]string
	Body    string
}

// Raw sends a request to a path of the server with the DPoP proof and access
// token and returns the answer whatever its status (resourceRequest).
func (c *Client) Raw(ctx context.Context, method, path string, headers map[string]string, body []byte, accessToken string) (*Response, error) {
	s, err := c.session()
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, s, request{method: method, path: path, rawBody: body, headers: headers, accessToken: accessToken})
	if err != nil {
		return nil, err
	}
	defer c.afterRequest(s) // runs after the body is closed
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, networkError(ctx, err)
	}
	if len(b) > maxResponseBody {
		return nil, dispatch.Errorf(dispatch.CodeGeneral, "the server's answer is larger than %d bytes", maxResponseBody)
	}
	out := &Response{Status: resp.StatusCode, Headers: map[string]string{}, Body: string(b)}
	for k, v := range resp.Header {
		out.Headers[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	return out, nil
}

func (c *Client) send(ctx context.Context, s *session, r request) (*http.Response, error) {
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, dispatch.Wrap(dispatch.CodeInternal, err, "encoding the request failed")
		}
		body = bytes.NewReader(b)
	} else if r.rawBody != nil {
		body = bytes.NewReader(r.rawBody)
	}
	url := s.base + r.path
	req, err := http.NewRequestWithContext(ctx, r.method, url, body)
	if err != nil {
		return nil, dispatch.Errorf(dispatch.CodeBadParameters, "invalid request method or path")
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	}
	req.Header.Set("Accept", protocol.ContentTypeJSON)
	claims := protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: r.method, HTU: protocol.HTU(url), IAT: c.now().Unix()}
	kid := s.reg.ClientID
	if r.registration {
		kid = ""
	}
	if r.accessToken != "" {
		claims.ATH = protocol.AccessTokenHash(r.accessToken)
		req.Header.Set("Authorization", protocol.AuthSchemeDPoP+" "+r.accessToken)
	}
	proof, err := protocol.MakeProof(s.signer.SignDigest, kid, s.signer.ECDSAPublic(), claims)
	if err != nil {
		return nil, dispatch.Wrap(dispatch.CodeInternal, err, "signing the request proof failed")
	}
	req.Header.Set(protocol.HeaderDPoP, proof)
	t0 := time.Now()
	resp, err := s.http.c.Do(req)
	if err != nil {
		err = networkError(ctx, err)
		c.log.Debug().Str("method", r.method).Str("path", protocol.HTU(r.path)).Int("code", int(dispatch.CodeOf(err))).
			Dur("took", time.Since(t0)).Msg("device request failed")
		return nil, err
	}
	c.log.Debug().Str("method", r.method).Str("path", protocol.HTU(r.path)).Int("status", resp.StatusCode).
		Dur("took", time.Since(t0)).Msg("device request")
	return resp, nil
}

func (c *Client) do(ctx context.Context, s *session, r request, out any) error {
	resp, err := c.send(ctx, s, r)
	if err != nil {
		return err
	}
	defer c.afterRequest(s) // runs after the body is closed
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return networkError(ctx, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil {
			return nil
		}
		if len(b) > maxResponseBody || json.Unmarshal(b, out) != nil {
			return dispatch.Errorf(dispatch.CodeGeneral, "the server's answer to %s could not be read", r.path)
		}
		return nil
	}
	e := refusal(resp.StatusCode, b, r.path)
	if se, ok := AsServerError(e); ok && se.Body.Error == protocol.ErrInvalidClient && !r.registration {
		c.deviceDeregistered(s)
	}
	return e
}

// refusal maps a non-2xx answer to an SDK error.
func refusal(status int, b []byte, path string) error {
	var er protocol.ErrorResponse
	if json.Unmarshal(b, &er) != nil || er.Error == "" {
		switch status {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return dispatch.Errorf(dispatch.CodeServerNotReachable, "the server is not available (HTTP %d)", status)
		case http.StatusTooManyRequests:
			return dispatch.Errorf(dispatch.CodeRateLimited, "too many requests; try again later")
		}
		return dispatch.Errorf(dispatch.CodeGeneral, "unexpected server answer to %s (HTTP %d)", path, status)
	}
	se := &ServerError{Status: status, Body: er}
	code := SDKCode(er.Error)
	name := er.Error
	if len(name) > 64 {
		name = name[:64]
	}
	msg := "the server refused the request: " + name
	if er.Error == protocol.ErrRequestExpired {
		// Same code as an unknown request (10013), told apart by the
		// message and data.reason so the user knows to ask for a new code.
		msg = "the request has expired: ask the site for a new code"
	}
	e := dispatch.Wrap(code, se, msg).With("serverError", name)
	if er.Error == protocol.ErrRequestExpired {
		e = e.With("reason", "expired")
	}
	if er.RemainingAttempts != nil {
		e = e.With("remainingFailureCount", *er.RemainingAttempts)
	}
	return e
}

// networkError maps a transport failure: 9001 when the server could not be
// reached at all (DNS, refused, unreachable), 9006 when the core is closing,
// 9000 otherwise (timeouts, resets, TLS and pin failures).
func networkError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return dispatch.Wrap(dispatch.CodeCancelled, err, "the request was cancelled")
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		return dispatch.Wrap(dispatch.CodeServerNotReachable, err, "the server's host name could not be resolved")
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return dispatch.Wrap(dispatch.CodeServerNotReachable, err, "the server could not be reached")
	case errors.Is(err, errPinMismatch):
		return dispatch.Wrap(dispatch.CodeNetwork, err, "the server's certificate does not match the pinned key")
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return dispatch.Wrap(dispatch.CodeNetwork, err, "the server's certificate is not trusted")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return dispatch.Wrap(dispatch.CodeNetwork, err, "the request to the server timed out")
	}
	return dispatch.Wrap(dispatch.CodeNetwork, err, "network failure talking to the server")
}
