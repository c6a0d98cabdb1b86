package dispatch

import (
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// parseRequestRef is a straightforward reference parser built on gjson's own
// object iteration; parseRequest must agree with it on every input.
func parseRequestRef(s string, max int) (request, *Error) {
	var r request
	if max > 0 && len(s) > max {
		r.id = salvageID(s)
		return r, Errorf(CodeBadParameters, "request too large: %d bytes, limit %d", len(s), max)
	}
	if !gjson.Valid(s) {
		return r, Errorf(CodeBadParameters, "request is not valid JSON")
	}
	root := gjson.Parse(s)
	if !root.IsObject() {
		return r, Errorf(CodeBadParameters, "request must be a JSON object")
	}
	var methodRes gjson.Result
	seen := map[string]bool{}
	dup := ""
	root.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "jsonrpc", "id", "method", "params":
		default:
			return true
		}
		if seen[k.Str] {
			if dup == "" {
				dup = k.Str
			}
			return true
		}
		seen[k.Str] = true
		switch k.Str {
		case "jsonrpc":
			r.version = "?"
			if v.Type == gjson.String {
				r.version = v.Str
			}
		case "id":
			if v.Type == gjson.Number || v.Type == gjson.String {
				r.id = v.Raw
			}
		case "method":
			methodRes = v
		case "params":
			r.params = v
		}
		return true
	})
	if r.id != "" && !utf8.ValidString(r.id) {
		r.id = ""
	}
	if dup != "" {
		return r, Errorf(CodeBadParameters, "request has more than one %q member", dup)
	}
	if r.id == "" {
		return r, Errorf(CodeBadParameters, "request has no id (a number or a string)")
	}
	if !utf8.ValidString(s) {
		return r, Errorf(CodeBadParameters, "request is not valid UTF-8")
	}
	if r.version != "2.0" {
		return r, Errorf(CodeBadParameters, `jsonrpc must be "2.0"`)
	}
	if methodRes.Type != gjson.String || methodRes.Str == "" {
		return r, Errorf(CodeBadParameters, "method must be a non-empty string")
	}
	r.method = methodRes.Str
	if r.params.Exists() && !r.params.IsObject() && r.params.Type != gjson.Null {
		return r, Errorf(CodeBadParameters, "params must be an object")
	}
	return r, nil
}

// checkParseAgrees fails when parseRequest and the reference parser disagree.
func checkParseAgrees(t *testing.T, s string) {
	t.Helper()
	got, gerr := parseRequest(s, 512)
	want, werr := parseRequestRef(s, 512)
	if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Message != werr.Message) {
		t.Fatalf("error for %q: got %v, want %v", s, gerr, werr)
	}
	if got.id != want.id {
		t.Fatalf("id for %q: got %q, want %q", s, got.id, want.id)
	}
	if gerr == nil && (got.method != want.method || got.version != want.version || got.params.Raw != want.params.Raw || got.params.Type != want.params.Type) {
		t.Fatalf("parse of %q:\n got %+v\nwant %+v", s, got, want)
	}
}

func TestParseRequestAgreesWithReference(t *testing.T) {
	for _, s := range fuzzSeeds {
		checkParseAgrees(t, s)
	}
	for _, s := range []string{
		`{"jsonrpc":"2\u002e0","id":"a\"b","m\u0065thod":"p\u0069ng","params":{"x":"}]\"{["}}`,
		`{"params":[{"a":"]"}],"jsonrpc":"2.0","id":1e5,"method":"x"}`,
		"{\r\n\t\"jsonrpc\" :\t\"2.0\" ,\n\"id\":-0 , \"method\":\"x\",\"params\":true }",
		`{"jsonrpc":"2.0","id":"","method":"x"}`,
		`{"jsonrpc":"2.0","id":1,"method":"\"","params":"s"}`,
		`{"jsonrpc":null,"id":1,"method":"x"}`,
		`{"a":{"id":5},"id":6,"jsonrpc":"2.0","method":"x"}`,
		`{"method":"a","method":"b","id":1}`,
		`{}`,
		` { } `,
	} {
		checkParseAgrees(t, s)
	}
}

// FuzzParseRequest checks the request scanner against the reference parser.
func FuzzParseRequest(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(checkParseAgrees)
}
