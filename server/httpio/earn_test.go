package httpio

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/internal/fastpath"
)

// TestFastPathsEarnTheirPlace keeps this package's hand-written fast paths
// honest (issue 12, item 6): each is measured against the encoding/json or
// standard-library code it replaces and must stay clearly faster or lighter,
// or be deleted. Each also stays behind its equivalence test: decodeFlat
// (TestDecodeFlatMatchesEncodingJSON, FuzzDecodeFlat), appendJSON
// (TestWriteJSONMatchesEncoder), MediaType (TestMediaTypeFastPath), httpDate
// (TestWriteJSONMatchesEncoder's Date check). Run by scripts/test-go.sh with
// OMA_FASTPATH_BENCH=1.
func TestFastPathsEarnTheirPlace(t *testing.T) {
	answer := []byte(benchAnswerBody)
	claim := []byte(`{"otp":"dHJhbnNhY3Rpb24taWQtMTIzNDU2Nzg5MGFiY2RlZg","profile_id":"cHJvZmlsZS0x"}`)
	decode := func(fast bool, body []byte, v func() any) func() {
		return func() {
			var err error
			if fast {
				err = DecodeStrictJSON(body, v())
			} else if !utf8.Valid(body) {
				err = ErrMalformed
			} else {
				err = decodeStd(body, v())
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	newAnswer := func() any { return new(protocol.AnswerRequest) }
	newClaim := func() any { return new(protocol.ClaimRequest) }

	var buf []byte
	var ref bytes.Buffer
	encode := func(fast bool, v any) func() {
		return func() {
			if fast {
				var ok bool
				if buf, ok = appendJSON(buf[:0], v); !ok {
					t.Fatalf("%T: no fast path", v)
				}
				buf = append(buf, '\n')
			} else {
				ref.Reset()
				_ = json.NewEncoder(&ref).Encode(v)
			}
		}
	}
	claimResp := protocol.ClaimResponse{TransactionID: "dHJhbnNhY3Rpb24taWQtMTIzNDU2", Message: "Log in to Example Shop from Chrome on Linux, IP 192.0.2.1",
		Type: "demo", Nonce: "bm9uY2UtMTIzNDU2Nzg5MA", ExpiresAt: 1_800_000_300, ProfileID: "cHJvZmlsZS0x", UserID: "demo"}
	devErr := protocol.ErrorResponse{Error: protocol.ErrAlreadyHandled, ErrorDescription: "this request was already claimed"}
	rpErr := &RPError{Status: http.StatusBadRequest, Err: "invalid_parameter", Code: RPCodeInvalidParam, Description: "message is too long"}

	r, _ := http.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("Content-Type", "application/json")
	var mt string
	var date []string

	fastpath.Earn(t, []fastpath.Pair{
		{Name: "answer body decoder", Fast: decode(true, answer, newAnswer), Ref: decode(false, answer, newAnswer), MinRatio: 2},
		{Name: "claim body decoder", Fast: decode(true, claim, newClaim), Ref: decode(false, claim, newClaim), MinRatio: 2},
		{Name: "claim response encoder", Fast: encode(true, claimResp), Ref: encode(false, claimResp), MinRatio: 1.5},
		{Name: "device error encoder", Fast: encode(true, devErr), Ref: encode(false, devErr), MinRatio: 1.5},
		{Name: "RP error encoder", Fast: encode(true, rpErr), Ref: encode(false, rpErr), MinRatio: 1.5},
		{Name: "media type", Fast: func() { mt = MediaType(r) }, Ref: func() { mt, _, _ = mime.ParseMediaType(r.Header.Get("Content-Type")) }, MinRatio: 1.5},
		{Name: "Date header", Fast: func() { date = httpDate() }, Ref: func() { date = []string{time.Now().UTC().Format(http.TimeFormat)} }, MinRatio: 1.5},
	})
	_, _ = mt, date
}
