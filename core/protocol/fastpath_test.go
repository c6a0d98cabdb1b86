package protocol

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

// referenceParseProof is ParseProof as it was before its fast path (one
// encoding/json decode of each part): the fast path must agree with it on
// every input.
func referenceParseProof(s string) (*ParsedProof, []byte, error) {
	if len(s) > 4096 {
		return nil, nil, proofErr("too long")
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, nil, proofErr("not a compact JWS")
	}
	hb, err1 := B64.DecodeString(parts[0])
	cb, err2 := B64.DecodeString(parts[1])
	sig, err3 := B64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, nil, proofErr("bad base64url")
	}
	var h proofHeader
	if json.Unmarshal(hb, &h) != nil || h.Typ != "dpop+jwt" || h.Alg != "ES256" {
		return nil, nil, proofErr("bad header")
	}
	p := &ParsedProof{Kid: h.Kid}
	if h.Kid == "" {
		var j jwk
		if len(h.JWK) == 0 || json.Unmarshal(h.JWK, &j) != nil || j.Kty != "EC" || j.Crv != "P-256" {
			return nil, nil, proofErr("header needs a kid or a P-256 jwk")
		}
		x, errX := B64.DecodeString(j.X)
		y, errY := B64.DecodeString(j.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			return nil, nil, proofErr("bad jwk")
		}
		pub, err := ParsePublicKey(append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, nil, proofErr("bad jwk")
		}
		p.JWK = pub
	}
	if json.Unmarshal(cb, &p.Claims) != nil || p.Claims.JTI == "" || p.Claims.HTM == "" || p.Claims.HTU == "" || p.Claims.IAT == 0 {
		return nil, nil, proofErr("missing claims")
	}
	if len(p.Claims.JTI) > 128 {
		return nil, nil, proofErr("jti too long")
	}
	p.digest = sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	return p, sig, nil
}

// sameParse fails t when ParseProof and referenceParseProof disagree on s.
func sameParse(t *testing.T, s string) {
	t.Helper()
	got, err := ParseProof(s)
	want, wantSig, wantErr := referenceParseProof(s)
	if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
		t.Fatalf("%q: error %v, reference %v", s, err, wantErr)
	}
	if err != nil {
		return
	}
	if got.Kid != want.Kid || got.Claims != want.Claims || got.digest != want.digest ||
		(got.JWK == nil) != (want.JWK == nil) || (got.JWK != nil && !got.JWK.Equal(want.JWK)) {
		t.Fatalf("%q: parsed %+v, reference %+v", s, got, want)
	}
	if (got.sigLen == 64) != (len(wantSig) == 64) || (got.sigLen == 64 && !bytes.Equal(got.sig[:], wantSig)) {
		t.Fatalf("%q: signature %x (%d), reference %x", s, got.sig, got.sigLen, wantSig)
	}
}

var proofHeaders = []string{
	`{"typ":"dpop+jwt","alg":"ES256","kid":"client-1"}`,
	` { "typ" : "dpop+jwt" ,"alg":"ES256","kid":"c"} `,
	`{"alg":"ES256","kid":"c","typ":"dpop+jwt"}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"c","kid":"d"}`,
	`{"typ":"x","typ":"dpop+jwt","alg":"ES256","kid":"c"}`,
	`{"TYP":"dpop+jwt","alg":"ES256","kid":"c"}`,
	`{"typ":"dpop+jwt","alg":"ES256","Kid":"c"}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"c","x5c":null}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"c\u0041"}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"é"}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":""}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":5}`,
	`{"typ":"dpop+jwt","alg":"ES256"}`,
	`{"typ":"dpop+jwt","alg":"RS256","kid":"c"}`,
	`{"typ":"jwt","alg":"ES256","kid":"c"}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"c"} x`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"c",}`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"c"`,
	`{"typ":"dpop+jwt","alg":"ES256","kid":"c","jwk":{"kty":"EC"}}`,
	`{}`, `[]`, `null`, ``, `{"typ":"dpop+jwt" "alg":"ES256","kid":"c"}`,
}

var proofClaims = []string{
	`{"jti":"j1","htm":"POST","htu":"http://127.0.0.1:8080/device/v1/mobile-auth/claim","iat":1800000000}`,
	`{"jti":"j1","htm":"POST","htu":"https://a.example/x","iat":1800000000,"ath":"abc"}`,
	`{"iat":1800000000,"ath":"","htu":"u","htm":"GET","jti":"j"}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":-1}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":-0}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":0}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":01}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":1.0}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":1e3}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":9223372036854775807}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":9223372036854775808}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":-9223372036854775808}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":-9223372036854775809}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":"1"}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":1,"iat":2}`,
	`{"jti":5,"htm":"POST","htu":"u","iat":1}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":1,"nonce":"n"}`,
	`{"JTI":"j","htm":"POST","htu":"u","iat":1}`,
	`{"jti":"j","htm":"POST","htu":"https:\/\/a.example\/x","iat":1}`,
	`{"jti":"` + strings.Repeat("j", 129) + `","htm":"POST","htu":"u","iat":1}`,
	`{"jti":"` + strings.Repeat("j", 128) + `","htm":"POST","htu":"u","iat":1}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":1}` + "\n",
	`{"jti":"j","htm":"POST","htu":"u","iat":1}}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":1 2}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":-}`,
	`{"jti":"j","htm":"POST","htu":"u","iat":null}`,
	`{"jti":"j","htm":"POST","htu":"u"}`,
	`{"jti":"j","htm":"","htu":"u","iat":1}`,
	"{\"jti\":\"j\x01\",\"htm\":\"POST\",\"htu\":\"u\",\"iat\":1}",
	"{\"jti\":\"j\xff\",\"htm\":\"POST\",\"htu\":\"u\",\"iat\":1}",
	`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17}`,
}

func TestParseProofMatchesReference(t *testing.T) {
	sig := B64.EncodeToString(bytes.Repeat([]byte{7}, 64))
	for _, h := range proofHeaders {
		for _, c := range proofClaims {
			for _, sg := range []string{sig, "", "AAAA", sig + "A", "!"} {
				sameParse(t, B64.EncodeToString([]byte(h))+"."+B64.EncodeToString([]byte(c))+"."+sg)
			}
		}
	}
	k, sign := softSigner(t)
	s, err := MakeProof(sign, "", &k.PublicKey, ProofClaims{JTI: "j", HTM: "POST", HTU: "u", IAT: 1})
	if err != nil {
		t.Fatal(err)
	}
	sameParse(t, s)
	for _, s := range []string{"", ".", "..", "...", "a.b", "a.b.c.d", "e30.e30.", "e30.e30.e30", strings.Repeat("A", 4097), "\n.\r.\n"} {
		sameParse(t, s)
	}
}

// FuzzParseProof: the fast path of ParseProof agrees with encoding/json on
// any header and claims, and any proof string.
func FuzzParseProof(f *testing.F) {
	for _, h := range proofHeaders {
		for _, c := range proofClaims[:4] {
			f.Add(h, c, "")
		}
	}
	for _, c := range proofClaims {
		f.Add(proofHeaders[0], c, "")
	}
	f.Add("", "", "e30.e30.AAAA")
	f.Fuzz(func(t *testing.T, h, c, raw string) {
		sig := B64.EncodeToString(bytes.Repeat([]byte{7}, 64))
		sameParse(t, B64.EncodeToString([]byte(h))+"."+B64.EncodeToString([]byte(c))+"."+sig)
		sameParse(t, raw)
	})
}

// TestVerifyRawMatchesVerify: verifyRaw decides as ecdsa.Verify on valid
// signatures (including r or s with leading zero bytes or a high bit),
// altered ones and zero values.
func TestVerifyRawMatchesVerify(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("m"))
	check := func(raw []byte) {
		t.Helper()
		r, s := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])
		if got, want := verifyRaw(&k.PublicKey, digest[:], raw), ecdsa.Verify(&k.PublicKey, digest[:], r, s); got != want {
			t.Fatalf("%x: verifyRaw %v, ecdsa.Verify %v", raw, got, want)
		}
	}
	lead, high := 0, 0
	for i := 0; i < 600 || lead == 0 || high == 0; i++ {
		der, err := ecdsa.SignASN1(rand.Reader, k, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		raw, err := derToRaw(der)
		if err != nil {
			t.Fatal(err)
		}
		if raw[0] == 0 || raw[32] == 0 {
			lead++
		}
		if raw[0]&0x80 != 0 {
			high++
		}
		check(raw)
		if i%50 == 0 {
			bad := bytes.Clone(raw)
			bad[i%64] ^= 1
			check(bad)
		}
		if i > 5000 {
			t.Fatal("no signature with a leading zero byte")
		}
	}
	zero := make([]byte, 64)
	check(zero)
	zero[63] = 1
	check(zero)
	check(bytes.Repeat([]byte{0xff}, 64))
	if verifyRaw(&k.PublicKey, digest[:], make([]byte, 63)) {
		t.Fatal("short signature verified")
	}
}

// TestParsePublicKeyMatchesX509: the P-256 SubjectPublicKeyInfo fast path
// gives the key x509.ParsePKIXPublicKey gives, and refuses what it refuses.
func TestParsePublicKeyMatchesX509(t *testing.T) {
	for i := 0; i < 50; i++ {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(der, p256SPKIPrefix) || len(der) != len(p256SPKIPrefix)+65 {
			t.Fatalf("unexpected SPKI layout %x", der)
		}
		got, err := ParsePublicKey(der)
		if err != nil || !got.Equal(&k.PublicKey) || got.Curve != elliptic.P256() {
			t.Fatalf("fast path: %v", err)
		}
		for _, j := range []int{len(der) - 1, len(der) - 33, len(p256SPKIPrefix), len(p256SPKIPrefix) + 1, 5} {
			bad := bytes.Clone(der)
			bad[j] ^= 0x40
			_, err := ParsePublicKey(bad)
			ref, refErr := x509.ParsePKIXPublicKey(bad)
			refOK := refErr == nil
			if refOK {
				pub, ok := ref.(*ecdsa.PublicKey)
				refOK = ok && pub.Curve == elliptic.P256()
			}
			if (err == nil) != refOK {
				t.Fatalf("byte %d altered: fast path error %v, x509 %v", j, err, refErr)
			}
		}
	}
}

// TestHTUIs: htuIs(htu, base, path) is htu == HTU(base+path).
func TestHTUIs(t *testing.T) {
	htus := []string{"", "http://127.0.0.1:8080/device/v1/mobile-auth/claim", "http://127.0.0.1:8080/device/v1/mobile-auth/claim/",
		"http://127.0.0.1:8080", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/a", "https://h/x?y", "https://h/x"}
	bases := []string{"", "http://127.0.0.1:8080", "http://127.0.0.1:8080/", "https://h", "https://h/x?y", "https://h#f"}
	paths := []string{"", "/", "/device/v1/mobile-auth/claim", "/a?b", "/a#b", "/x", "?"}
	for _, h := range htus {
		for _, b := range bases {
			for _, p := range paths {
				if got, want := htuIs(h, b, p), h == HTU(b+p); got != want {
					t.Errorf("htuIs(%q, %q, %q) = %v, want %v", h, b, p, got, want)
				}
			}
		}
	}
}
