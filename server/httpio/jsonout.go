package httpio

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/openmobileauth/oma/core/protocol"
)

// JSONAppender is a response type that encodes itself: AppendJSON appends
// exactly what encoding/json's Encoder would write for the value, without
// the final newline (WriteJSON adds it).
type JSONAppender interface {
	AppendJSON(b []byte) []byte
}

// AppendJSONString appends s as encoding/json encodes a string (with HTML
// escaping, as json.Marshal and a default Encoder do): printable ASCII
// without '"', '\\', '<', '>' and '&' is copied; any other string is left
// to encoding/json itself.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			m, _ := json.Marshal(s) // a string always encodes
			return append(b, m...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// AppendJSONField appends ,"name": (without the comma for the first field,
// when b ends with '{') and the string value v. name must need no escaping.
func AppendJSONField(b []byte, name, v string) []byte {
	return AppendJSONString(appendKey(b, name), v)
}

// AppendJSONInt appends the member name: v as AppendJSONField does.
func AppendJSONInt(b []byte, name string, v int64) []byte {
	return strconv.AppendInt(appendKey(b, name), v, 10)
}

// AppendJSONBool appends the member name: v as AppendJSONField does.
func AppendJSONBool(b []byte, name string, v bool) []byte {
	return strconv.AppendBool(appendKey(b, name), v)
}

func appendKey(b []byte, name string) []byte {
	if len(b) > 0 && b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// appendJSON appends the encoding of the response types of the hot paths;
// false for any other type (WriteJSON then uses encoding/json).
func appendJSON(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case JSONAppender:
		return v.AppendJSON(b), true
	case protocol.ClaimResponse:
		if len(v.Details) != 0 || len(v.MatchCandidates) != 0 || v.UserVerification != "" {
			return b, false // DESIGN §13 fields: encoding/json
		}
		b = append(b, '{')
		b = AppendJSONField(b, "transaction_id", v.TransactionID)
		b = AppendJSONField(b, "message", v.Message)
		b = AppendJSONField(b, "type", v.Type)
		b = AppendJSONField(b, "nonce", v.Nonce)
		b = AppendJSONInt(b, "expires_at", v.ExpiresAt)
		b = AppendJSONField(b, "profile_id", v.ProfileID)
		b = AppendJSONField(b, "user_id", v.UserID)
		return append(b, '}'), true
	case protocol.AnswerResponse:
		b = append(b, '{')
		b = AppendJSONField(b, "transaction_id", v.TransactionID)
		b = AppendJSONField(b, "status", v.Status)
		return append(b, '}'), true
	case protocol.ErrorResponse:
		b = append(b, '{')
		b = AppendJSONField(b, "error", v.Error)
		if v.ErrorDescription != "" {
			b = AppendJSONField(b, "error_description", v.ErrorDescription)
		}
		if v.RemainingAttempts != nil {
			b = AppendJSONInt(b, "remaining_attempts", int64(*v.RemainingAttempts))
		}
		return append(b, '}'), true
	case *RPError:
		if v == nil {
			return b, false
		}
		b = append(b, '{')
		b = AppendJSONField(b, "error", v.Err)
		b = AppendJSONInt(b, "error_code", int64(v.Code))
		b = AppendJSONField(b, "error_description", v.Description)
		return append(b, '}'), true
	}
	return b, false
}

// jsonBufs recycles WriteJSON's buffers (the ResponseWriter copies what it
// is given).
var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// maxPooledJSON bounds the buffers kept for reuse.
const maxPooledJSON = 16 << 10
