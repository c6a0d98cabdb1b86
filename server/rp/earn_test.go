package rp

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/openmobileauth/oma/internal/fastpath"
)

// TestFastPathsEarnTheirPlace keeps this package's hand-written fast paths
// honest (issue 12, item 6): the create form parser (parseFormFast, behind
// TestParseFormFastMatchesParseQuery and FuzzParseFormFast) and the
// encoders of the create and fetch answers (AppendJSON, behind
// TestAppendJSONMatchesEncoder), each against the code it replaces. Run by
// scripts/test-go.sh with OMA_FASTPATH_BENCH=1.
func TestFastPathsEarnTheirPlace(t *testing.T) {
	form := "type=demo&message=Log+in+to+Example+Shop+%231234&user_id=loadgen-user-7"
	var params CreateParams
	parse := func(fast bool) func() {
		return func() {
			var ok bool
			if fast {
				params, ok = parseFormFast(form)
			} else {
				params, ok = referenceParseForm(form)
			}
			if !ok {
				t.Fatal("form refused")
			}
		}
	}
	var buf []byte
	var ref bytes.Buffer
	encode := func(fast bool, v interface{ AppendJSON([]byte) []byte }) func() {
		return func() {
			if fast {
				buf = append(v.AppendJSON(buf[:0]), '\n')
			} else {
				ref.Reset()
				_ = json.NewEncoder(&ref).Encode(v)
			}
		}
	}
	created := CreateResponse{TransactionID: "0b6f7c1e-6a43-4c1b-9d2e-7f1a2b3c4d5e", AuthMethod: AuthMethod, TimeToLive: 300000,
		OTP: "dHJhbnNhY3Rpb24taWQtMTIzNDU2Nzg5MGFiY2RlZg"}
	fetched := Transaction{TransactionID: "0b6f7c1e-6a43-4c1b-9d2e-7f1a2b3c4d5e", CallbackURI: "https://shop.example/cb", Timestamp: 1_800_000_000_000,
		UserID: "loadgen-user-7", IsAuthenticated: true, AuthenticationMethod: AuthMethod, Status: "accepted"}
	fastpath.Earn(t, []fastpath.Pair{
		{Name: "create form parser", Fast: parse(true), Ref: parse(false), MinRatio: 1.5},
		{Name: "create answer encoder", Fast: encode(true, created), Ref: encode(false, created), MinRatio: 1.5},
		{Name: "fetch answer encoder", Fast: encode(true, fetched), Ref: encode(false, fetched), MinRatio: 1.5},
	})
	_ = params
}
