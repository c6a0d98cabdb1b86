package dispatch

import (
	"encoding/json"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// RawJSON is a handler result that is already encoded JSON; it is copied into the
// response verbatim (the handler guarantees it is valid JSON).
type RawJSON []byte

// salvageWindow bounds how much of an oversized request is searched for its id.
const salvageWindow = 4 << 10

// SalvageID returns the raw JSON of the top-level "id" of a request that cannot be
// handled in full (too large, cut off), when it appears in its first few KiB and is
// a number or a well-formed string; otherwise "". Error answers carry it so the
// caller can still match them.
func SalvageID(prefix string) string { return salvageID(prefix) }

func salvageID(s string) string {
	if len(s) > salvageWindow {
		s = s[:salvageWindow]
	}
	v := gjson.Get(s, "id") // lenient: reads the top level up to the id, no validation
	if v.Type != gjson.Number && v.Type != gjson.String {
		return ""
	}
	if !gjson.Valid(v.Raw) || !utf8.ValidString(v.Raw) {
		return ""
	}
	return v.Raw
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

const nullID = "null"

// encodeResult builds a success envelope.
func encodeResult(id string, result any) (string, error) {
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = append(b, id...)
	b = append(b, `,"result":`...)
	var err error
	b, err = appendValue(b, result)
	if err != nil {
		*bp = b
		bufPool.Put(bp)
		return "", err
	}
	b = append(b, '}')
	s := string(b)
	*bp = b
	bufPool.Put(bp)
	return s, nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case RawJSON:
		if len(x) == 0 {
			return append(b, "null"...), nil
		}
		return append(b, x...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case string:
		return appendString(b, x), nil
	default:
		enc, err := json.Marshal(v)
		if err != nil {
			return b, err
		}
		return append(b, enc...), nil
	}
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	if !utf8.ValidString(s) {
		enc, _ := json.Marshal(s) // replaces invalid bytes with U+FFFD
		return append(b, enc...)
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// encodeError builds an error envelope. id is raw JSON or "" (encoded as null).
func encodeError(id string, e *Error) string {
	if id == "" {
		id = nullID
	}
	if _, known := codeIndex[e.Code]; !known {
		// A handler used a code outside the table: answer 8000 (the message stays).
		e = &Error{Code: CodeInternal, Message: e.Message, Data: e.Data}
	}
	b := make([]byte, 0, 160)
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = append(b, id...)
	b = append(b, `,"error":{"code":`...)
	b = strconv.AppendInt(b, int64(e.Code), 10)
	b = append(b, `,"message":`...)
	msg, _ := json.Marshal(e.Message) // json.Marshal of a string never fails; it fixes bad UTF-8
	b = append(b, msg...)
	b = append(b, `,"data":{"domain":`...)
	b = appendString(b, e.Code.Domain())
	for k, v := range e.Data {
		if k == "domain" {
			continue
		}
		enc, err := json.Marshal(v)
		if err != nil {
			continue
		}
		kb, _ := json.Marshal(k)
		b = append(b, ',')
		b = append(b, kb...)
		b = append(b, ':')
		b = append(b, enc...)
	}
	b = append(b, "}}}"...)
	return string(b)
}

// encodeEvent builds an event notification: params is payload (a JSON object) with
// "type" added first.
func encodeEvent(eventType string, payload any) (string, error) {
	b := make([]byte, 0, 192)
	b = append(b, `{"jsonrpc":"2.0","method":"event","params":{"type":`...)
	b = appendString(b, eventType)
	var enc []byte
	switch p := payload.(type) {
	case nil:
	case RawJSON:
		enc = p
	default:
		var err error
		enc, err = json.Marshal(payload)
		if err != nil {
			return "", err
		}
	}
	if len(enc) > 2 && enc[0] == '{' {
		b = append(b, ',')
		b = append(b, enc[1:]...) // includes the closing brace
	} else {
		b = append(b, '}')
	}
	b = append(b, '}')
	return string(b), nil
}
