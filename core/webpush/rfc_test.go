package webpush

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"errors"
	"testing"
)

// The example of RFC 8291 §5 (Appendix A gives the intermediate values).
const (
	rfcPlaintext = "When I grow up, I want to be a watermelon"
	rfcASPublic  = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
	rfcUAPublic  = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
	rfcUAPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
	rfcSalt      = "DGv6ra1nlYgDCS1FRnbzlw"
	rfcAuth      = "BTBZMqHH6r4Tts7J_aSIgg"
	rfcBody      = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml" +
		"mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT" +
		"pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)

func b64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rfcKeys(t testing.TB) *Keys {
	t.Helper()
	k, err := ParseKeys(b64(t, rfcUAPrivate), b64(t, rfcAuth))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRFC8291Example(t *testing.T) {
	k := rfcKeys(t)
	if k.P256dh() != rfcUAPublic {
		t.Fatalf("ua_public from ua_private = %s, RFC has %s", k.P256dh(), rfcUAPublic)
	}
	body := b64(t, rfcBody)
	// The header is the RFC's salt, rs = 4096 and the 65-octet as_public.
	if !bytes.Equal(body[:16], b64(t, rfcSalt)) || !bytes.Equal(body[16:21], []byte{0, 0, 0x10, 0, 65}) ||
		!bytes.Equal(body[21:86], b64(t, rfcASPublic)) {
		t.Fatal("the RFC body's header is not what RFC 8291 §5 lists")
	}
	got, err := k.Decrypt(body)
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	if string(got) != rfcPlaintext {
		t.Fatalf("plaintext %q", got)
	}
}

func TestRFC8291IntermediateValues(t *testing.T) {
	// RFC 8291 Appendix A: ecdh_secret, CEK and NONCE of the example.
	k := rfcKeys(t)
	asPub, err := ecdh.P256().NewPublicKey(b64(t, rfcASPublic))
	if err != nil {
		t.Fatal(err)
	}
	secret, err := k.priv.ECDH(asPub)
	if err != nil {
		t.Fatal(err)
	}
	cek, nonce, err := k.deriveKeys(asPub, b64(t, rfcSalt))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"ecdh_secret", base64.RawURLEncoding.EncodeToString(secret), "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs"},
		{"CEK", base64.RawURLEncoding.EncodeToString(cek), "oIhVW04MRdy2XN9CiKLxTg"},
		{"NONCE", base64.RawURLEncoding.EncodeToString(nonce), "4h_95klXJ5E_qnoN"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %s, RFC 8291 Appendix A has %s", c.name, c.got, c.want)
		}
	}
}

func TestRFC8291ExampleTampered(t *testing.T) {
	k := rfcKeys(t)
	body := b64(t, rfcBody)
	for i := 86; i < len(body); i += 7 {
		bad := bytes.Clone(body)
		bad[i] ^= 0x01
		if _, err := k.Decrypt(bad); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("flipped octet %d: %v, want ErrDecrypt", i, err)
		}
	}
	// Another salt derives other keys.
	bad := bytes.Clone(body)
	bad[3] ^= 0x80
	if _, err := k.Decrypt(bad); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("changed salt: %v", err)
	}
	// Another subscription's keys cannot open it.
	other, _ := NewKeys(nil)
	if _, err := other.Decrypt(body); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("other keys: %v", err)
	}
	// Another auth secret with the right private key cannot either.
	wrongAuth, _ := ParseKeys(b64(t, rfcUAPrivate), make([]byte, 16))
	if _, err := wrongAuth.Decrypt(body); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong auth: %v", err)
	}
}

func mustB64(s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
