package loadgen

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/openmobileauth/oma/core/protocol"
)

// Paths of the relying-party API the transactions use.
const (
	pathStart = "/oauth/api/v4/authenticate/user"
	pathFetch = "/oauth/api/v4/authenticate/transaction/"
)

// hotRequest is one request of the hot path: the few headers the four
// calls of a transaction need, no header map.
type hotRequest struct {
	method        string // "GET" or "POST"
	path          []byte // absolute path, escaped
	contentType   string // POST only
	authorization []byte
	dpop          []byte
	body          []byte
}

// hotTransport sends a request and appends the answer's body to dst.
type hotTransport interface {
	roundTrip(deadline time.Time, r *hotRequest, dst []byte) (status int, body []byte, err error)
	close()
}

// Client kinds of NewFastClient.
const (
	ClientFast = "fast" // FastClient (fasthttp)
	ClientStd  = "std"  // net/http: Plan.Fast stays nil
)

// FastClient is the HTTP client of the measured transactions (relying-party
// start and fetch, device claim and answer) when Plan.Fast is set: keep-alive
// connections used on the caller's goroutine, requests and answers built and
// parsed in reused buffers. Every DPoP proof is still made fresh (new jti,
// current iat, new ECDSA signature) and every answer signed over the claim's
// nonce and message hash; every answer is still validated. It only speaks
// plain HTTP/1.1 (the load generator's loopback server), through fasthttp
// (transport.go).
type FastClient struct {
	t       hotTransport
	timeout time.Duration
	bufs    sync.Pool // *txBuf
	closed  atomic.Bool
}

// errClientClosed is returned for requests after Close.
var errClientClosed = errors.New("client closed")

// NewFastClient returns a hot-path client for the server at base
// ("http://host:port"); timeout bounds each request (connect, write and
// read).
func NewFastClient(base string, timeout time.Duration) (*FastClient, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("loadgen: fast client: %w", err)
	}
	if u.Scheme != "http" || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("loadgen: fast client: want http://host:port, got %q", base)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &FastClient{t: newFastTransport(addr, u.Host, timeout), timeout: timeout}, nil
}

// Close closes the idle connections; later requests fail.
func (c *FastClient) Close() error {
	c.closed.Store(true)
	c.t.close()
	return nil
}

// txBuf holds the reused buffers of one transaction.
type txBuf struct {
	req   hotRequest
	path  []byte
	body  []byte
	proof []byte
	resp  []byte
}

func (c *FastClient) getBuf() *txBuf {
	if b, ok := c.bufs.Get().(*txBuf); ok {
		return b
	}
	return &txBuf{path: make([]byte, 0, 128), body: make([]byte, 0, 512), proof: make([]byte, 0, 512), resp: make([]byte, 0, 1024)}
}

// do sends b.req and leaves the answer's body in b.resp; a non-2xx answer
// is an *HTTPError.
func (c *FastClient) do(ctx context.Context, op string, b *txBuf) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if c.closed.Load() {
		return fmt.Errorf("%s: %w", op, errClientClosed)
	}
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	status, body, err := c.t.roundTrip(deadline, &b.req, b.resp[:0])
	b.resp = body
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("%s: timeout: %w", op, err)
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	if status/100 != 2 {
		e := &HTTPError{Op: op, Status: status}
		_ = json.Unmarshal(body, &e.ErrorResponse)
		return e
	}
	return nil
}

// deviceHot is what the hot path precomputes once per device after set-up:
// constant strings, never a proof or a signature.
type deviceHot struct {
	proofHeader []byte // base64url of the proof's JOSE header (kid = client id)
	htuClaim    []byte // JSON strings of the htu claims
	htuAnswer   []byte
	profileJSON []byte // JSON string of the profile id
	userForm    []byte // "&user_id=..." form-encoded
}

func (d *Device) hotState() (*deviceHot, error) {
	d.hotOnce.Do(func() {
		if d.ClientID == "" || d.ProfileID == "" || d.EnrollKey == nil {
			d.hotErr = errors.New("device not set up")
			return
		}
		hb, err := json.Marshal(struct {
			Typ string `json:"typ"`
			Alg string `json:"alg"`
			Kid string `json:"kid"`
		}{"dpop+jwt", "ES256", d.ClientID})
		if err != nil {
			d.hotErr = err
			return
		}
		h := &deviceHot{
			proofHeader: base64.RawURLEncoding.AppendEncode(nil, hb),
			htuClaim:    appendJSONString(nil, d.BaseURL+protocol.PathClaim),
			htuAnswer:   appendJSONString(nil, d.BaseURL+protocol.PathAnswer),
			profileJSON: appendJSONString(nil, d.ProfileID),
		}
		if d.UserID != "" {
			h.userForm = appendQueryEscape([]byte("&user_id="), d.UserID)
		}
		d.hot = h
	})
	return d.hot, d.hotErr
}

// appendProof appends a fresh DPoP proof for POST htu (a JSON string) by the
// device's client key: new random jti, current iat, new signature.
func appendProof(dst []byte, h *deviceHot, key *ecdsa.PrivateKey, htuJSON []byte) ([]byte, error) {
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return dst, err
	}
	var cl [160]byte
	c := append(cl[:0], `{"jti":"`...)
	c = base64.RawURLEncoding.AppendEncode(c, jti[:])
	c = append(c, `","htm":"POST","htu":`...)
	c = append(c, htuJSON...)
	c = append(c, `,"iat":`...)
	c = strconv.AppendInt(c, time.Now().Unix(), 10)
	c = append(c, '}')
	start := len(dst)
	dst = append(dst, h.proofHeader...)
	dst = append(dst, '.')
	dst = base64.RawURLEncoding.AppendEncode(dst, c)
	digest := sha256.Sum256(dst[start:])
	der, err := signDeterministic(key, digest[:])
	if err != nil {
		return dst, fmt.Errorf("signing proof: %w", err)
	}
	var raw [64]byte
	if !derToRaw(der, &raw) {
		return dst, errors.New("signing proof: malformed ECDSA signature")
	}
	dst = append(dst, '.')
	return base64.RawURLEncoding.AppendEncode(dst, raw[:]), nil
}

// signDeterministic signs a SHA-256 digest with RFC 6979 deterministic ECDSA
// (crypto/ecdsa with no random source): a new signature for every message,
// like the randomized one, whose nonce k is derived from the key and the
// digest with HMAC-SHA-256 instead of the hedged HMAC-SHA-512 generator
// seeded from crypto/rand, which cost the load generator ~10 % of its CPU.
// The server verifies both kinds the same way, at the same cost. Every
// message signed here is unique (a proof's fresh jti, an answer's server
// nonce), so no signature repeats.
func signDeterministic(k *ecdsa.PrivateKey, digest []byte) ([]byte, error) {
	return k.Sign(nil, digest, crypto.SHA256)
}

// derToRaw converts an ASN.1 DER ECDSA signature to JWS's 32+32-byte r||s.
func derToRaw(der []byte, raw *[64]byte) bool {
	var seq, r, s cryptobyte.String
	in := cryptobyte.String(der)
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() ||
		!seq.ReadASN1(&r, cbasn1.INTEGER) || !seq.ReadASN1(&s, cbasn1.INTEGER) || !seq.Empty() {
		return false
	}
	for i, n := range [][]byte{r, s} {
		if len(n) == 0 || n[0]&0x80 != 0 { // empty or negative
			return false
		}
		for len(n) > 0 && n[0] == 0 {
			n = n[1:]
		}
		if len(n) == 0 || len(n) > 32 {
			return false
		}
		copy(raw[32*i+32-len(n):32*i+32], n)
	}
	return true
}

// basicAuth is the RP's Authorization header value.
func (r *RP) basicAuth() []byte {
	r.basicOnce.Do(func() {
		r.basic = append([]byte("Basic "), base64.StdEncoding.EncodeToString([]byte(r.clientID+":"+r.secret))...)
	})
	return r.basic
}

// fastTransaction is Transaction over c: the same four calls and checks.
func fastTransaction(ctx context.Context, c *FastClient, rp *RP, dev *Device, p *Plan) (string, error) {
	h, err := dev.hotState()
	if err != nil {
		return "", err
	}
	b := c.getBuf()
	defer c.bufs.Put(b)

	// 1. the relying party starts the request
	body := append(b.body[:0], "type="...)
	body = appendQueryEscape(body, p.Type)
	body = append(body, "&message="...)
	body = appendQueryEscape(body, p.Message)
	if p.CallbackURI != "" {
		body = append(body, "&callback_uri="...)
		body = appendQueryEscape(body, p.CallbackURI)
	}
	if p.Bound {
		if h.userForm == nil {
			return "", errors.New("start request: device without user id")
		}
		body = append(body, h.userForm...)
	}
	b.body = body
	b.req = hotRequest{method: "POST", path: append(b.path[:0], pathStart...), contentType: "application/x-www-form-urlencoded",
		authorization: rp.basicAuth(), body: body}
	if err := c.do(ctx, "start request", b); err != nil {
		return "", err
	}
	var st struct{ TransactionID, OTP string }
	if err := decodeObject(b.resp, func(k string, v gjson.Result) bool {
		switch k {
		case "transaction_id":
			return jsonString(v, &st.TransactionID)
		case "otp":
			return jsonString(v, &st.OTP)
		}
		return true
	}); err != nil {
		return "", fmt.Errorf("start request: decoding answer: %w", err)
	}
	if st.TransactionID == "" || st.OTP == "" {
		return "", errors.New("start request: answer without transaction_id or otp")
	}

	// 2. the device claims it
	body = append(b.body[:0], `{"otp":`...)
	body = appendJSONString(body, st.OTP)
	body = append(body, `,"profile_id":`...)
	body = append(body, h.profileJSON...)
	body = append(body, '}')
	b.body = body
	if b.proof, err = appendProof(b.proof[:0], h, dev.ClientKey, h.htuClaim); err != nil {
		return st.TransactionID, fmt.Errorf("claim: %w", err)
	}
	b.req = hotRequest{method: "POST", path: append(b.path[:0], protocol.PathClaim...), contentType: protocol.ContentTypeJSON,
		dpop: b.proof, body: body}
	if err := c.do(ctx, "claim", b); err != nil {
		return st.TransactionID, err
	}
	var cl struct{ TransactionID, Message, Nonce string }
	if err := decodeObject(b.resp, func(k string, v gjson.Result) bool {
		switch k {
		case "transaction_id":
			return jsonString(v, &cl.TransactionID)
		case "message":
			return jsonString(v, &cl.Message)
		case "nonce":
			return jsonString(v, &cl.Nonce)
		}
		return true
	}); err != nil {
		return st.TransactionID, fmt.Errorf("claim: decoding answer: %w", err)
	}
	if cl.TransactionID != st.TransactionID {
		return st.TransactionID, errors.New("claim: transaction id differs from the started one")
	}

	// 3. the device accepts it: a fresh answer signature over the claim
	a := protocol.AnswerRequest{
		TransactionID: cl.TransactionID, ProfileID: dev.ProfileID, Decision: protocol.DecisionAccept,
		MessageHash: protocol.MessageHash(cl.Message), Nonce: cl.Nonce, Time: time.Now().Unix(),
	}
	if err := protocol.SignAnswer(func(d []byte) ([]byte, error) { return signDeterministic(dev.EnrollKey, d) }, &a); err != nil {
		return st.TransactionID, fmt.Errorf("answer: %w", err)
	}
	body = append(b.body[:0], `{"transaction_id":`...)
	body = appendJSONString(body, a.TransactionID)
	body = append(body, `,"profile_id":`...)
	body = append(body, h.profileJSON...)
	body = append(body, `,"decision":"accept","message_hash":`...)
	body = appendJSONString(body, a.MessageHash)
	body = append(body, `,"nonce":`...)
	body = appendJSONString(body, a.Nonce)
	body = append(body, `,"time":`...)
	body = strconv.AppendInt(body, a.Time, 10)
	body = append(body, `,"signature":`...)
	body = appendJSONString(body, a.Signature)
	body = append(body, '}')
	b.body = body
	if b.proof, err = appendProof(b.proof[:0], h, dev.ClientKey, h.htuAnswer); err != nil {
		return st.TransactionID, fmt.Errorf("answer: %w", err)
	}
	b.req = hotRequest{method: "POST", path: append(b.path[:0], protocol.PathAnswer...), contentType: protocol.ContentTypeJSON,
		dpop: b.proof, body: body}
	if err := c.do(ctx, "answer", b); err != nil {
		return st.TransactionID, err
	}
	var an protocol.AnswerResponse
	if err := decodeObject(b.resp, func(k string, v gjson.Result) bool {
		switch k {
		case "transaction_id":
			return jsonString(v, &an.TransactionID)
		case "status":
			return jsonString(v, &an.Status)
		}
		return true
	}); err != nil {
		return st.TransactionID, fmt.Errorf("answer: decoding answer: %w", err)
	}
	if an.Status != "accepted" || an.TransactionID != st.TransactionID {
		return st.TransactionID, fmt.Errorf("answer: status %q, want accepted for the transaction", an.Status)
	}

	// 4. the relying party fetches the result
	b.req = hotRequest{method: "GET", path: appendPathEscape(append(b.path[:0], pathFetch...), st.TransactionID),
		authorization: rp.basicAuth()}
	if err := c.do(ctx, "fetch transaction", b); err != nil {
		return st.TransactionID, err
	}
	var res struct {
		TransactionID, Status string
		IsAuthenticated       bool
	}
	if err := decodeObject(b.resp, func(k string, v gjson.Result) bool {
		switch k {
		case "transaction_id":
			return jsonString(v, &res.TransactionID)
		case "status":
			return jsonString(v, &res.Status)
		case "is_authenticated":
			if v.Type != gjson.True && v.Type != gjson.False {
				return false
			}
			res.IsAuthenticated = v.Type == gjson.True
		}
		return true
	}); err != nil {
		return st.TransactionID, fmt.Errorf("fetch transaction: decoding answer: %w", err)
	}
	if !res.IsAuthenticated || res.Status != "accepted" || res.TransactionID != st.TransactionID {
		return st.TransactionID, fmt.Errorf("fetch: status %q authenticated=%v, want accepted", res.Status, res.IsAuthenticated)
	}
	return st.TransactionID, nil
}

// errJSON is wrapped by every answer that is not a valid JSON object of the
// expected member types.
var errJSON = errors.New("not a JSON object with the expected members")

// decodeObject checks that body is exactly one valid JSON object and calls
// member for each of its members in order (as encoding/json, a repeated key's
// last value wins); member returns false for a value of the wrong type.
func decodeObject(body []byte, member func(key string, v gjson.Result) bool) error {
	if !gjson.ValidBytes(body) {
		return errJSON
	}
	r := gjson.ParseBytes(body)
	if !r.IsObject() {
		return errJSON
	}
	ok := true
	r.ForEach(func(k, v gjson.Result) bool {
		ok = member(k.Str, v)
		return ok
	})
	if !ok {
		return errJSON
	}
	return nil
}

// jsonString stores a JSON string value (null leaves dst as it is, as
// encoding/json does); another type is refused.
func jsonString(v gjson.Result, dst *string) bool {
	switch v.Type {
	case gjson.String:
		*dst = v.Str
	case gjson.Null:
	default:
		return false
	}
	return true
}

// appendJSONString appends s as a JSON string (what encoding/json would
// write, without its HTML escaping).
func appendJSONString(dst []byte, s string) []byte {
	if !utf8.ValidString(s) {
		q, _ := json.Marshal(s) // replaces invalid bytes as encoding/json does
		return append(dst, q...)
	}
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '"' || ch == '\\':
			dst = append(dst, '\\', ch)
		case ch < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[ch>>4], hex[ch&15])
		default:
			dst = append(dst, ch)
		}
	}
	return append(dst, '"')
}

// unreserved reports whether ch needs no escaping in a query or a path
// segment (RFC 3986 unreserved characters).
func unreserved(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '.' || ch == '~'
}

// appendQueryEscape appends s form-encoded (as url.QueryEscape).
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case unreserved(ch):
			dst = append(dst, ch)
		case ch == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[ch>>4], hex[ch&15])
		}
	}
	return dst
}

// appendPathEscape appends s escaped as one path segment.
func appendPathEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if unreserved(ch) {
			dst = append(dst, ch)
		} else {
			dst = append(dst, '%', hex[ch>>4], hex[ch&15])
		}
	}
	return dst
}
