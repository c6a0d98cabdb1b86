package httpio

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
)

// referenceDecode is DecodeStrictJSON without its fast path.
func referenceDecode(body []byte, v any) error { return decodeStd(body, v) }

// sameDecode fails t unless whatever decodeFlat accepts, encoding/json
// accepts too and decodes to the same value (from the same prior value).
func sameDecode(t *testing.T, body []byte) {
	t.Helper()
	prior := func() []any {
		return []any{&protocol.ClaimRequest{OTP: "old", ProfileID: "old"},
			&protocol.AnswerRequest{TransactionID: "old", Decision: "old", Time: 7, Signature: "old"}}
	}
	fast, ref := prior(), prior()
	for i := range fast {
		before := prior()[i]
		if !decodeFlat(body, fast[i]) {
			if !equalJSON(fast[i], before) {
				t.Fatalf("%q: refused but changed %+v", body, fast[i])
			}
			continue
		}
		if err := referenceDecode(body, ref[i]); err != nil {
			t.Fatalf("%q into %T: fast path accepted, encoding/json: %v", body, ref[i], err)
		}
		if !equalJSON(fast[i], ref[i]) {
			t.Fatalf("%q: fast path %+v, encoding/json %+v", body, fast[i], ref[i])
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

var decodeSeeds = []string{`{}`, `{"otp":"ABCD-EFGH-IJKL","profile_id":"p"}`, `{"otp":"a","otp":"b"}`, `{"OTP":"a"}`, `{"otp":5}`,
	`{"otp":"a","x":"b"}`, `{"otp":"a\u0062"}`, `{"otp":"é"}`, `{"otp":null}`, `{"otp":"a"} x`, `{"otp":"a"}{}`, ` {"otp" : "a"} `,
	`{"transaction_id":"t","profile_id":"p","decision":"accept","message_hash":"h","nonce":"n","time":1800000000,"signature":"s"}`,
	`{"time":-1}`, `{"time":-0}`, `{"time":01}`, `{"time":1.0}`, `{"time":1e3}`, `{"time":"1"}`, `{"time":9223372036854775808}`,
	`{"time":-9223372036854775808}`, `{"decision":1}`, `{"time":1,"time":2}`, `[]`, `null`, ``, `{"otp":"a",}`}

func TestDecodeFlatMatchesEncodingJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		sameDecode(t, []byte(s))
	}
	var a protocol.AnswerRequest
	if err := DecodeStrictJSON([]byte(decodeSeeds[12]), &a); err != nil || a.Time != 1800000000 || a.Signature != "s" {
		t.Fatalf("%+v %v", a, err)
	}
}

// FuzzDecodeFlat: the fast path of DecodeStrictJSON never accepts what
// encoding/json refuses, and decodes what it accepts as encoding/json does.
func FuzzDecodeFlat(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { sameDecode(t, b) })
}

var jsonStrings = []string{"", "plain", "Log in to Example Shop from Chrome on Linux, IP 192.0.2.1", `quo"te`, `back\slash`, "<b>&amp;</b>",
	"new\nline\ttab\r\b\f\x01\x1f\x7f", "ünïcödé €", "\u2028\u2029", "bad \xff utf-8", "emoji 🙂"}

// TestWriteJSONMatchesEncoder: WriteJSON writes, for every type it encodes
// itself, the bytes of json.NewEncoder(w).Encode.
func TestWriteJSONMatchesEncoder(t *testing.T) {
	three := 3
	zero := 0
	var vals []any
	for _, s := range jsonStrings {
		vals = append(vals,
			protocol.ClaimResponse{TransactionID: s, Message: s, Type: s, Nonce: s, ExpiresAt: -5, ProfileID: s, UserID: s},
			protocol.ClaimResponse{Message: s, ExpiresAt: 1_800_000_000},
			protocol.AnswerResponse{TransactionID: s, Status: s},
			protocol.ErrorResponse{Error: s, ErrorDescription: s},
			protocol.ErrorResponse{Error: s, RemainingAttempts: &three},
			protocol.ErrorResponse{Error: s, ErrorDescription: s, RemainingAttempts: &zero},
			&RPError{Status: 400, Err: s, Code: RPCodeInvalidParam, Description: s},
			&RPError{})
	}
	vals = append(vals, map[string]string{"status": "ok"}, (*RPError)(nil), protocol.TokenResponse{AccessToken: "a"})
	for _, v := range vals {
		rec := httptest.NewRecorder()
		WriteJSON(rec, http.StatusTeapot, v)
		var want bytes.Buffer
		_ = json.NewEncoder(&want).Encode(v)
		if rec.Body.String() != want.String() {
			t.Errorf("%#v:\n got %q\nwant %q", v, rec.Body.String(), want.String())
		}
		if rec.Code != http.StatusTeapot || rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%#v: status %d, header %v", v, rec.Code, rec.Header())
		}
	}
	// The Date header is the current second's, in net/http's format.
	rec := httptest.NewRecorder()
	WriteJSON(rec, http.StatusOK, protocol.AnswerResponse{})
	if d, err := http.ParseTime(rec.Header().Get("Date")); err != nil || time.Since(d) > 2*time.Second || time.Until(d) > time.Second ||
		rec.Header().Get("Date") != d.UTC().Format(http.TimeFormat) {
		t.Fatalf("Date %q: %v", rec.Header().Get("Date"), err)
	}
	// The shared header values are never changed through a response.
	rec = httptest.NewRecorder()
	WriteJSON(rec, http.StatusOK, protocol.AnswerResponse{})
	rec.Header().Add("Cache-Control", "private")
	if len(headerNoStore) != 1 || headerNoStore[0] != "no-store" || headerJSON[0] != "application/json" {
		t.Fatalf("shared header values changed: %v %v", headerNoStore, headerJSON)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range append(jsonStrings, strings.Repeat("x<", 100)) {
		want, _ := json.Marshal(s)
		if got := AppendJSONString([]byte("pre"), s); string(got) != "pre"+string(want) {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
	}
}

func TestMediaTypeFastPath(t *testing.T) {
	for ct, want := range map[string]string{"application/json": "application/json", "application/x-www-form-urlencoded": "application/x-www-form-urlencoded",
		"Application/JSON": "application/json", "application/json; charset=utf-8": "application/json", "": "", "a b": "invalid", "text/plain": "text/plain"} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		if got := MediaType(r); got != want {
			t.Errorf("%q: %q, want %q", ct, got, want)
		}
	}
}
