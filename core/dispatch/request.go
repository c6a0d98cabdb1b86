package dispatch

import (
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// request is a parsed envelope. Fields point into the original string (no copies).
type request struct {
	id      string // raw JSON of the id ("" when missing or not a number or string)
	method  string
	params  gjson.Result
	version string
}

// parseRequest parses one envelope. It returns a *Error (CodeBadParameters) with
// the id that could be recovered, so the error response still carries it.
//
// gjson.Valid checks the whole document first; the top-level members are then
// read by a small scanner that relies on that validity. It only finds where each
// member's value ends (no number conversion, no unescaping unless a string holds
// escapes), which keeps the request path cheap and its stack shallow.
func parseRequest(s string, max int) (request, *Error) {
	var r request
	if max > 0 && len(s) > max {
		r.id = salvageID(s)
		return r, Errorf(CodeBadParameters, "request too large: %d bytes, limit %d", len(s), max)
	}
	if !gjson.Valid(s) {
		return r, Errorf(CodeBadParameters, "request is not valid JSON")
	}
	i := skipSpace(s, 0)
	if s[i] != '{' {
		return r, Errorf(CodeBadParameters, "request must be a JSON object")
	}
	var version, method string // raw JSON of the members
	var seen uint8             // bit set of envelope members already read
	dup := ""
	i = skipSpace(s, i+1)
	for s[i] != '}' {
		kEnd := endOfString(s, i)
		key := unquote(s[i:kEnd])
		i = skipSpace(s, skipSpace(s, kEnd)+1) // past the colon
		vEnd := endOfValue(s, i)
		raw := s[i:vEnd]
		var bit uint8
		switch key {
		case "jsonrpc":
			bit = 1
		case "id":
			bit = 2
		case "method":
			bit = 4
		case "params":
			bit = 8
		}
		if bit != 0 {
			if seen&bit != 0 {
				if dup == "" {
					dup = key
				}
			} else {
				seen |= bit
				switch bit {
				case 1:
					version = raw
				case 2:
					if raw[0] == '"' || raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') {
						r.id = raw
					}
				case 4:
					method = raw
				case 8:
					r.params = gjson.Parse(raw)
				}
			}
		}
		i = skipSpace(s, vEnd)
		if s[i] == ',' {
			i = skipSpace(s, i+1)
		}
	}
	if version != "" {
		if version[0] == '"' {
			r.version = unquote(version)
		} else {
			r.version = "?"
		}
	}
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
	if method == "" || method[0] != '"' {
		return r, Errorf(CodeBadParameters, "method must be a non-empty string")
	}
	r.method = unquote(method)
	if r.method == "" {
		return r, Errorf(CodeBadParameters, "method must be a non-empty string")
	}
	if r.params.Exists() && !r.params.IsObject() && r.params.Type != gjson.Null {
		return r, Errorf(CodeBadParameters, "params must be an object")
	}
	return r, nil
}

// The scanners below assume s is valid JSON (checked by gjson.Valid).

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// endOfString returns the index just past the string starting at s[i] == '"'.
func endOfString(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}

// endOfValue returns the index just past the value starting at s[i].
func endOfValue(s string, i int) int {
	switch s[i] {
	case '"':
		return endOfString(s, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				j = endOfString(s, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(s)
	default: // number, true, false, null
		j := i
		for j < len(s) && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
			j++
		}
		return j
	}
}

// unquote returns the value of the JSON string raw (with its quotes).
func unquote(raw string) string {
	if len(raw) < 2 {
		return ""
	}
	if strings.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1]
	}
	return gjson.Parse(raw).Str
}
