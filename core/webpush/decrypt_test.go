package webpush

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	webpushgo "github.com/SherClockHolmes/webpush-go"
)

// capture is a webpush-go HTTPClient that keeps the request instead of
// sending it.
type capture struct {
	req  *http.Request
	body []byte
}

func (c *capture) Do(r *http.Request) (*http.Response, error) {
	c.req = r
	c.body, _ = io.ReadAll(r.Body)
	return &http.Response{StatusCode: http.StatusCreated, Body: io.NopCloser(strings.NewReader(""))}, nil
}

// TestRoundTripWebpushGo: what webpush-go (the server's sender library)
// encrypts for a subscription made here, Decrypt opens.
func TestRoundTripWebpushGo(t *testing.T) {
	vapidPriv, vapidPub, err := webpushgo.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"", "x", `{"og_transaction_id":"t1","og_profile_id":"p1"}`, strings.Repeat("y", 3000)} {
		k, err := NewKeys(nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &capture{}
		sub := &webpushgo.Subscription{Endpoint: "https://push.example/sub/1", Keys: webpushgo.Keys{P256dh: k.P256dh(), Auth: k.Auth()}}
		resp, err := webpushgo.SendNotification([]byte(msg), sub, &webpushgo.Options{
			HTTPClient: c, Subscriber: "ops@example.org", TTL: 60,
			VAPIDPublicKey: vapidPub, VAPIDPrivateKey: vapidPriv,
		})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if c.req.Header.Get("Content-Encoding") != "aes128gcm" {
			t.Fatalf("content coding %q", c.req.Header.Get("Content-Encoding"))
		}
		got, err := k.Decrypt(c.body)
		if err != nil {
			t.Fatalf("len %d: %v", len(msg), err)
		}
		if string(got) != msg {
			t.Fatalf("len %d: got %d octets back", len(msg), len(got))
		}
		// A second subscription cannot read it.
		other, _ := NewKeys(nil)
		if _, err := other.Decrypt(c.body); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("other subscription: %v", err)
		}
	}
}

func TestKeysSaveAndRestore(t *testing.T) {
	k, err := NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.PublicKey()) != 65 || k.PublicKey()[0] != 4 || len(k.AuthSecret()) != 16 {
		t.Fatal("p256dh must be an uncompressed point, auth 16 octets")
	}
	r, err := ParseKeys(k.PrivateKey(), k.AuthSecret())
	if err != nil {
		t.Fatal(err)
	}
	if r.P256dh() != k.P256dh() || r.Auth() != k.Auth() {
		t.Fatal("restored keys differ")
	}
	for _, c := range []struct{ priv, auth []byte }{
		{k.PrivateKey(), make([]byte, 15)},
		{k.PrivateKey()[:31], k.AuthSecret()},
		{make([]byte, 32), k.AuthSecret()}, // zero scalar
	} {
		if _, err := ParseKeys(c.priv, c.auth); !errors.Is(err, ErrBadKeys) {
			t.Fatalf("ParseKeys(%d, %d octets): %v", len(c.priv), len(c.auth), err)
		}
	}
}

// encryptRecords is an RFC 8188 encoder for tests (the production sender is
// webpush-go): it writes one record per element of plains, each padded with
// pad zero octets after the delimiter given in delims.
func encryptRecords(t *testing.T, k *Keys, rs uint32, plains [][]byte, delims []byte, pad int) []byte {
	t.Helper()
	as, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	// The receiver derives with its own private key; the sender with as's.
	// Both give the same ECDH secret, so derive through the receiver here.
	cek, nonce, err := k.deriveKeys(as.PublicKey(), salt)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(cek)
	aead, _ := cipher.NewGCM(block)
	var out bytes.Buffer
	out.Write(salt)
	binary.Write(&out, binary.BigEndian, rs)
	out.WriteByte(65)
	out.Write(as.PublicKey().Bytes())
	for i, p := range plains {
		rec := append(append(bytes.Clone(p), delims[i]), make([]byte, pad)...)
		iv := bytes.Clone(nonce)
		var s [8]byte
		binary.BigEndian.PutUint64(s[:], uint64(i))
		for j := range s {
			iv[4+j] ^= s[j]
		}
		sealed := aead.Seal(nil, iv, rec, nil)
		if i < len(plains)-1 && uint32(len(sealed)) != rs {
			t.Fatalf("test record %d is %d octets, rs %d", i, len(sealed), rs)
		}
		out.Write(sealed)
	}
	return out.Bytes()
}

func TestMultipleRecordsAndPadding(t *testing.T) {
	k, _ := NewKeys(nil)
	// rs = 16 tag + 8 data + 1 delimiter + 3 padding = 28
	a, b, c := []byte("abcdefgh"), []byte("ijklmnop"), []byte("qr")
	body := encryptRecords(t, k, 28, [][]byte{a, b, c}, []byte{1, 1, 2}, 3)
	got, err := k.Decrypt(body)
	if err != nil || string(got) != "abcdefghijklmnopqr" {
		t.Fatalf("three records: %q %v", got, err)
	}
	// Records swapped: the sequence number in the nonce catches it.
	swapped := bytes.Clone(body)
	copy(swapped[86:86+28], body[86+28:86+56])
	copy(swapped[86+28:86+56], body[86:86+28])
	if _, err := k.Decrypt(swapped); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("swapped records: %v", err)
	}
	// Truncated after a full record: the now-last record has delimiter 1.
	if _, err := k.Decrypt(body[:86+28]); !errors.Is(err, ErrPadding) {
		t.Fatalf("truncated at a record boundary: %v", err)
	}
	// A middle record with the last-record delimiter.
	if _, err := k.Decrypt(encryptRecords(t, k, 28, [][]byte{a, c}, []byte{2, 2}, 3)); !errors.Is(err, ErrPadding) {
		t.Fatalf("delimiter 2 before the end: %v", err)
	}
	// A last record with delimiter 1.
	if _, err := k.Decrypt(encryptRecords(t, k, 4096, [][]byte{c}, []byte{1}, 0)); !errors.Is(err, ErrPadding) {
		t.Fatalf("delimiter 1 at the end: %v", err)
	}
	// All padding, no delimiter.
	if _, err := k.Decrypt(encryptRecords(t, k, 4096, [][]byte{nil}, []byte{0}, 5)); !errors.Is(err, ErrPadding) {
		t.Fatalf("no delimiter: %v", err)
	}
}

func TestMalformedHeaders(t *testing.T) {
	k := rfcKeys(t)
	body := b64(t, rfcBody)
	withRS := func(rs uint32) []byte {
		b := bytes.Clone(body)
		binary.BigEndian.PutUint32(b[16:20], rs)
		return b
	}
	withIDLen := func(n byte) []byte {
		b := bytes.Clone(body)
		b[20] = n
		return b
	}
	badPoint := bytes.Clone(body)
	badPoint[22] ^= 0xff
	for _, c := range []struct {
		name string
		body []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"salt only", body[:16], ErrTruncated},
		{"header without keyid", body[:30], ErrTruncated},
		{"header without records", body[:86], ErrTruncated},
		{"tag cut", body[:86+10], ErrTruncated},
		{"rs 17", withRS(17), ErrRecordSize},
		{"rs 0", withRS(0), ErrRecordSize},
		{"idlen 0", withIDLen(0), ErrKeyID},
		{"idlen 33", withIDLen(33), ErrKeyID},
		{"keyid not on the curve", badPoint, ErrKeyID},
		{"too large", make([]byte, MaxMessageSize+1), ErrTooLarge},
	} {
		if _, err := k.Decrypt(c.body); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// A smaller rs splits the RFC's single record: it no longer opens.
	if _, err := k.Decrypt(withRS(18)); !errors.Is(err, ErrDecrypt) {
		t.Errorf("rs 18: %v", err)
	}
}

func FuzzDecrypt(f *testing.F) {
	k, err := ParseKeys(mustB64(rfcUAPrivate), mustB64(rfcAuth))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(mustB64(rfcBody))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := k.Decrypt(body)
		if err == nil && len(out) >= len(body) {
			t.Fatal("plaintext longer than the body")
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("untyped error %v", err)
		}
	})
}
