package protocol

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol/flatjson"
)

// ProofClaims are the claims of a DPoP-style proof of possession (RFC 9449).
type ProofClaims struct {
	JTI string `json:"jti"`           // unique per request (replay cache key)
	HTM string `json:"htm"`           // HTTP method, upper case
	HTU string `json:"htu"`           // request URL without query and fragment
	IAT int64  `json:"iat"`           // unix seconds
	ATH string `json:"ath,omitempty"` // AccessTokenHash of the access token sent, when one is sent
}

type proofHeader struct {
	Typ string          `json:"typ"`
	Alg string          `json:"alg"`
	Kid string          `json:"kid,omitempty"`
	JWK json.RawMessage `json:"jwk,omitempty"`
}

type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// AccessTokenHash is the "ath" claim: base64url SHA-256 of the token.
func AccessTokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return B64.EncodeToString(h[:])
}

// NewJTI returns a fresh random proof id (128 bits).
func NewJTI() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return B64.EncodeToString(b)
}

// HTU normalises a URL for the htu claim: no query, no fragment.
func HTU(url string) string {
	if i := strings.IndexAny(url, "?#"); i >= 0 {
		return url[:i]
	}
	return url
}

// MakeProof builds a compact ES256 JWS proof. kid is the client id; for client
// registration kid is "" and pub (the client key) goes in the "jwk" header.
func MakeProof(sign Signer, kid string, pub *ecdsa.PublicKey, c ProofClaims) (string, error) {
	h := proofHeader{Typ: "dpop+jwt", Alg: "ES256", Kid: kid}
	if kid == "" {
		if pub == nil {
			return "", errors.New("protocol: proof needs a kid or a public key")
		}
		j := jwk{Kty: "EC", Crv: "P-256", X: B64.EncodeToString(pub.X.FillBytes(make([]byte, 32))), Y: B64.EncodeToString(pub.Y.FillBytes(make([]byte, 32)))}
		h.JWK, _ = json.Marshal(j)
	}
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(c)
	signing := B64.EncodeToString(hb) + "." + B64.EncodeToString(cb)
	digest := sha256.Sum256([]byte(signing))
	der, err := sign(digest[:])
	if err != nil {
		return "", fmt.Errorf("protocol: signing proof: %w", err)
	}
	raw, err := derToRaw(der)
	if err != nil {
		return "", err
	}
	return signing + "." + B64.EncodeToString(raw), nil
}

// ParsedProof is a proof whose structure was checked but whose signature is not
// yet verified: the server looks the key up by Kid (or takes JWK), then calls Verify.
type ParsedProof struct {
	Kid    string
	JWK    *ecdsa.PublicKey // set when the header carried a jwk
	Claims ProofClaims
	digest [32]byte
	sig    [64]byte // r||s
	sigLen int      // decoded length of the signature part (64 when well-formed)
}

// ErrProof is wrapped by every proof validation failure.
var ErrProof = errors.New("invalid proof")

func proofErr(msg string) error { return fmt.Errorf("%w: %s", ErrProof, msg) }

// maxProofLen bounds a proof (it is a header value).
const maxProofLen = 4096

// ParseProof checks the proof's structure (three parts, typ dpop+jwt, alg ES256,
// kid or a P-256 jwk, required claims present).
func ParseProof(s string) (*ParsedProof, error) {
	if len(s) > maxProofLen {
		return nil, proofErr("too long")
	}
	d1 := strings.IndexByte(s, '.')
	if d1 < 0 {
		return nil, proofErr("not a compact JWS")
	}
	d2 := strings.IndexByte(s[d1+1:], '.')
	if d2 < 0 {
		return nil, proofErr("not a compact JWS")
	}
	d2 += d1 + 1
	if strings.IndexByte(s[d2+1:], '.') >= 0 {
		return nil, proofErr("not a compact JWS")
	}
	// One copy of the proof and one buffer for the decoded parts, on the
	// stack: the signing input is hashed from the copy.
	var raw [maxProofLen]byte
	in := raw[:copy(raw[:], s)]
	var dec [maxProofLen]byte
	hn, err1 := B64.Decode(dec[:], in[:d1])
	cn, err2 := B64.Decode(dec[hn:], in[d1+1:d2])
	sn, err3 := B64.Decode(dec[hn+cn:], in[d2+1:])
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, proofErr("bad base64url")
	}
	p := &ParsedProof{sigLen: sn}
	if sn == len(p.sig) {
		copy(p.sig[:], dec[hn+cn:])
	}
	if !p.parseFlat(dec[:hn], dec[hn:hn+cn]) {
		if err := p.parseJSON(dec[:hn], dec[hn:hn+cn]); err != nil {
			return nil, err
		}
	}
	if p.Claims.JTI == "" || p.Claims.HTM == "" || p.Claims.HTU == "" || p.Claims.IAT == 0 {
		return nil, proofErr("missing claims")
	}
	if len(p.Claims.JTI) > 128 {
		return nil, proofErr("jti too long")
	}
	p.digest = sha256.Sum256(in[:d2])
	return p, nil
}

// parseFlat is the fast path of ParseProof for the proofs the SDK makes: a
// header of typ, alg and kid and claims of string and integer values only,
// all printable ASCII without escapes (see flatjson.Scan). It reports false for
// anything else, and for a header that is not typ dpop+jwt / alg ES256,
// so that parseJSON decides, with encoding/json's rules and errors.
func (p *ParsedProof) parseFlat(hb, cb []byte) bool {
	var hm, cm [flatjson.MaxMembers]flatjson.Member
	hn, ok := flatjson.Scan(hb, &hm)
	if !ok {
		return false
	}
	cn, ok := flatjson.Scan(cb, &cm)
	if !ok {
		return false
	}
	var typ, alg, kid []byte
	for i := range hm[:hn] {
		m := &hm[i]
		if m.Num {
			return false
		}
		switch string(m.Key(hb)) {
		case "typ":
			typ = m.Val(hb)
		case "alg":
			alg = m.Val(hb)
		case "kid":
			kid = m.Val(hb)
		default:
			return false // jwk, other or differently cased names
		}
	}
	if string(typ) != "dpop+jwt" || string(alg) != "ES256" || len(kid) == 0 {
		return false
	}
	var jti, htm, htu, ath []byte
	var iat int64
	for i := range cm[:cn] {
		m := &cm[i]
		switch string(m.Key(cb)) {
		case "jti":
			jti = m.Val(cb)
		case "htm":
			htm = m.Val(cb)
		case "htu":
			htu = m.Val(cb)
		case "ath":
			ath = m.Val(cb)
		case "iat":
			if !m.Num {
				return false
			}
			v, ok := flatjson.Int64(m.Val(cb))
			if !ok {
				return false
			}
			iat = v
			continue
		default:
			return false
		}
		if m.Num {
			return false
		}
	}
	// One string for every value.
	all := string(kid) + string(jti) + string(htm) + string(htu) + string(ath)
	cut := func(n int) string { v := all[:n]; all = all[n:]; return v }
	p.Kid = cut(len(kid))
	p.Claims = ProofClaims{JTI: cut(len(jti)), HTM: cut(len(htm)), HTU: cut(len(htu)), ATH: cut(len(ath)), IAT: iat}
	return true
}

// parseJSON is the general path of ParseProof: encoding/json, a jwk header.
// hb and cb are copied first (ParseProof's buffers stay on its stack).
func (p *ParsedProof) parseJSON(header, claims []byte) error {
	hb, cb := bytes.Clone(header), bytes.Clone(claims)
	var h proofHeader
	if json.Unmarshal(hb, &h) != nil || h.Typ != "dpop+jwt" || h.Alg != "ES256" {
		return proofErr("bad header")
	}
	p.Kid = h.Kid
	if h.Kid == "" {
		var j jwk
		if len(h.JWK) == 0 || json.Unmarshal(h.JWK, &j) != nil || j.Kty != "EC" || j.Crv != "P-256" {
			return proofErr("header needs a kid or a P-256 jwk")
		}
		x, errX := B64.DecodeString(j.X)
		y, errY := B64.DecodeString(j.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			return proofErr("bad jwk")
		}
		pub, err := ParsePublicKey(append(append([]byte{4}, x...), y...))
		if err != nil {
			return proofErr("bad jwk")
		}
		p.JWK = pub
	}
	if json.Unmarshal(cb, &p.Claims) != nil {
		return proofErr("missing claims")
	}
	return nil
}

// Verify checks the signature with pub and the claims against the request:
// method and URL (htu without query) must match, iat must be within
// ProofMaxAgeSecs of now, and ath must equal AccessTokenHash(accessToken) when a
// token is sent (and be absent when none is). Replay of the jti is the caller's
// check (the server's replay cache).
func (p *ParsedProof) Verify(pub *ecdsa.PublicKey, method, url string, now time.Time, accessToken string) error {
	return p.verify(pub, method, p.Claims.HTU == HTU(url), now, accessToken)
}

// VerifyRequest is Verify for the URL baseURL+path, without building it.
func (p *ParsedProof) VerifyRequest(pub *ecdsa.PublicKey, method, baseURL, path string, now time.Time, accessToken string) error {
	return p.verify(pub, method, htuIs(p.Claims.HTU, baseURL, path), now, accessToken)
}

// htuIs reports whether htu == HTU(baseURL+path).
func htuIs(htu, baseURL, path string) bool {
	if strings.ContainsAny(baseURL, "?#") {
		return htu == HTU(baseURL+path)
	}
	path = HTU(path)
	return len(htu) == len(baseURL)+len(path) && htu[:len(baseURL)] == baseURL && htu[len(baseURL):] == path
}

func (p *ParsedProof) verify(pub *ecdsa.PublicKey, method string, htuMatches bool, now time.Time, accessToken string) error {
	if p.sigLen != len(p.sig) || !verifyRaw(pub, p.digest[:], p.sig[:]) {
		return proofErr("bad signature")
	}
	if !strings.EqualFold(p.Claims.HTM, method) {
		return proofErr("htm does not match")
	}
	if !htuMatches {
		return proofErr("htu does not match")
	}
	d := now.Unix() - p.Claims.IAT
	if d > ProofMaxAgeSecs || d < -ProofMaxAgeSecs {
		return proofErr("iat outside the accepted window")
	}
	if accessToken != "" {
		if p.Claims.ATH != AccessTokenHash(accessToken) {
			return proofErr("ath does not match the access token")
		}
	} else if p.Claims.ATH != "" {
		return proofErr("ath without an access token")
	}
	return nil
}
