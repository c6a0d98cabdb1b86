package dispatch

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/openmobileauth/oma/internal/fastpath"
)

// TestFastPathsEarnTheirPlace keeps the dispatcher's hand-written JSON codecs
// honest: each must stay clearly faster (or allocate less) than the code it
// replaces, measured side by side by internal/fastpath (alternating rounds,
// medians), or it should be deleted in favour of that code. Each codec also stays behind its
// equivalence test: FuzzParseRequest (scanner = parseRequestRef) and
// FuzzAppendString (escaper = encoding/json's decoding). It runs when
// OMA_FASTPATH_BENCH=1 (scripts/test-go.sh sets it in a step without -race,
// whose instrumentation would distort the comparison).
func TestFastPathsEarnTheirPlace(t *testing.T) {
	parse := func(p func(string, int) (request, *Error), req string) func() {
		return func() {
			if _, err := p(req, DefaultMaxRequestSize); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf []byte
	escape := func(marshal bool) func() {
		return func() {
			if marshal {
				enc, _ := json.Marshal(benchString)
				buf = append(buf[:0], enc...)
			} else {
				buf = appendString(buf[:0], benchString)
			}
		}
	}
	// The side-by-side measurement (alternating rounds, medians, allocation
	// counts) is internal/fastpath's, shared with the server's codecs.
	fastpath.Earn(t, []fastpath.Pair{
		{Name: "request scanner (no-op ping)", Fast: parse(parseRequest, benchPing), Ref: parse(parseRequestRef, benchPing), MinRatio: 1.2},
		{Name: "request scanner (call with params)", Fast: parse(parseRequest, benchTypedReq), Ref: parse(parseRequestRef, benchTypedReq)},
		{Name: "string escaper (access token)", Fast: escape(false), Ref: escape(true), MinRatio: 1.1},
	})
}

// FuzzAppendString: the escaper writes valid JSON that decodes to the input
// (invalid UTF-8 to what encoding/json makes of it).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\"b\\c\n\r\t\u0001<>&é", "\u2028\u2029", "a\xffb", benchString} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := appendString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q: invalid JSON %q: %v", s, out, err)
		}
		want := s
		if !utf8.ValidString(s) {
			enc, _ := json.Marshal(s)
			_ = json.Unmarshal(enc, &want)
		}
		if back != want {
			t.Fatalf("%q: decodes to %q", s, back)
		}
	})
}
