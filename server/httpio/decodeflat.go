package httpio

import (
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/protocol/flatjson"
)

// decodeFlat is DecodeStrictJSON's fast path for the request types of the
// OTP flow (claim and answer) when the body is a flat object of printable
// ASCII strings and integers (flatjson.Scan): every key must be exactly one
// of the type's JSON names and every value of the field's type. It reports
// false, having changed nothing, for anything else: encoding/json then
// decides, with its own rules (case-insensitive names, escapes, errors).
func decodeFlat(body []byte, v any) bool {
	switch v.(type) {
	case *protocol.ClaimRequest, *protocol.AnswerRequest:
	default:
		return false
	}
	var ms [flatjson.MaxMembers]flatjson.Member
	n, ok := flatjson.Scan(body, &ms)
	if !ok {
		return false
	}
	// Every member first, so that a refused body changes nothing.
	for i := range ms[:n] {
		m := &ms[i]
		if m.Num {
			if _, ok := flatjson.Int64(m.Val(body)); !ok || intField(v, m.Key(body)) == nil {
				return false
			}
		} else if stringField(v, m.Key(body)) == nil {
			return false
		}
	}
	// Then in order: a repeated key keeps its last value, as encoding/json.
	// The string values are slices of one copy of the body.
	text := string(body)
	for i := range ms[:n] {
		m := &ms[i]
		if m.Num {
			*intField(v, m.Key(body)), _ = flatjson.Int64(m.Val(body))
		} else {
			*stringField(v, m.Key(body)) = m.ValString(text)
		}
	}
	return true
}

// stringField returns the string field of v named key in JSON (nil if none).
func stringField(v any, key []byte) *string {
	switch v := v.(type) {
	case *protocol.ClaimRequest:
		switch string(key) {
		case "otp":
			return &v.OTP
		case "profile_id":
			return &v.ProfileID
		}
	case *protocol.AnswerRequest:
		switch string(key) {
		case "transaction_id":
			return &v.TransactionID
		case "profile_id":
			return &v.ProfileID
		case "decision":
			return &v.Decision
		case "message_hash":
			return &v.MessageHash
		case "nonce":
			return &v.Nonce
		case "signature":
			return &v.Signature
		}
	}
	return nil
}

// intField returns the int64 field of v named key in JSON (nil if none).
func intField(v any, key []byte) *int64 {
	if a, ok := v.(*protocol.AnswerRequest); ok && string(key) == "time" {
		return &a.Time
	}
	return nil
}
