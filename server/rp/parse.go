package rp

import (
	"net"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/httpio"
)

var createFields = map[string]bool{"type": true, "message": true, "callback_uri": true, "language_code": true, "ip_address": true, "user_agent": true, "user_id": true, "number_matching": true, "details": true}

// ParseCreate parses a create request body of media type mt (form or JSON).
// Unknown fields, repeated form fields, wrong JSON types and invalid UTF-8 are
// refused with a 1003 error, and so is a message or user agent with
// characters that cannot be shown safely (protocol.CheckDisplayText); both
// come back in NFC. Message length is checked by the caller (it depends on
// the API client).
func ParseCreate(mt string, body []byte) (CreateParams, *httpio.RPError) {
	var p CreateParams
	switch mt {
	case "application/json":
		if err := httpio.DecodeStrictJSON(body, &p); err != nil {
			return p, invalid("malformed JSON body (unknown field, wrong type or trailing data)")
		}
	case "application/x-www-form-urlencoded":
		if !utf8.Valid(body) {
			return p, invalid("form body is not UTF-8")
		}
		if fp, ok := parseFormFast(string(body)); ok {
			return fp, validate(&fp)
		}
		f, err := url.ParseQuery(string(body))
		if err != nil {
			return p, invalid("malformed form body")
		}
		for k, v := range f {
			if !createFields[k] {
				return p, invalid("unknown parameter: " + clip(k, 40))
			}
			if len(v) != 1 {
				return p, invalid("parameter repeated: " + k)
			}
		}
		p = CreateParams{Type: f.Get("type"), Message: f.Get("message"), CallbackURI: f.Get("callback_uri"), LanguageCode: f.Get("language_code"),
			IPAddress: f.Get("ip_address"), UserAgent: f.Get("user_agent"), UserID: f.Get("user_id")}
		switch f.Get("number_matching") {
		case "", "false":
		case "true":
			p.NumberMatching = true
		default:
			return p, invalid("number_matching must be true or false")
		}
		if d := f.Get("details"); d != "" {
			if err := httpio.DecodeStrictJSON([]byte(d), &p.Details); err != nil {
				return p, invalid("details must be a JSON array of {label, value} objects")
			}
		}
	default:
		return p, &httpio.RPError{Status: 415, Err: "invalid_request", Code: httpio.RPCodeInvalidParam, Description: "Content-Type must be application/x-www-form-urlencoded or application/json"}
	}
	return p, validate(&p)
}

// parseFormFast is ParseCreate's fast path for a form of known, unrepeated
// parameters with plain names (no escapes): what url.ParseQuery and the
// checks after it would give, without the map. false for anything else (an
// unknown, repeated or escaped name, a ';', a malformed escape): the
// general path then decides and says why.
func parseFormFast(body string) (CreateParams, bool) {
	var p CreateParams
	var seen uint8
	for body != "" {
		var seg string
		seg, body, _ = strings.Cut(body, "&")
		if seg == "" {
			continue // url.ParseQuery skips empty parameters
		}
		if strings.IndexByte(seg, ';') >= 0 {
			return p, false
		}
		k, v, _ := strings.Cut(seg, "=")
		dst, bit := p.formField(k)
		if dst == nil || seen&bit != 0 {
			return p, false
		}
		seen |= bit
		if strings.ContainsAny(v, "%+") {
			var err error
			if v, err = url.QueryUnescape(v); err != nil {
				return p, false
			}
		}
		*dst = v
	}
	return p, true
}

// formField returns the field of form parameter name and its bit in
// parseFormFast's set of seen parameters (nil for any other name).
func (p *CreateParams) formField(name string) (*string, uint8) {
	switch name {
	case "type":
		return &p.Type, 1 << 0
	case "message":
		return &p.Message, 1 << 1
	case "callback_uri":
		return &p.CallbackURI, 1 << 2
	case "language_code":
		return &p.LanguageCode, 1 << 3
	case "ip_address":
		return &p.IPAddress, 1 << 4
	case "user_agent":
		return &p.UserAgent, 1 << 5
	case "user_id":
		return &p.UserID, 1 << 6
	}
	return nil, 0
}

func validate(p *CreateParams) *httpio.RPError {
	for _, s := range []string{p.Type, p.Message, p.CallbackURI, p.LanguageCode, p.IPAddress, p.UserAgent, p.UserID} {
		if !utf8.ValidString(s) {
			return invalid("parameters must be UTF-8")
		}
	}
	switch {
	case p.Type == "" || len(p.Type) > 64:
		return invalid("type is required")
	case p.Message == "":
		return invalid("message is required")
	case len(p.CallbackURI) > 1024, len(p.LanguageCode) > 16, len(p.UserAgent) > 1024, len(p.UserID) > 128:
		return invalid("parameter too long")
	}
	if p.IPAddress != "" {
		ip := net.ParseIP(p.IPAddress)
		if ip == nil {
			return invalid("ip_address is not an IP address")
		}
		p.IPAddress = ip.String() // the canonical form is what the phone shows
	}
	// What reaches the phone (DESIGN §5): the message and the user agent are
	// stored in NFC and may not hold anything that could mislead the user
	// (line breaks, bidi controls, invisible characters, ...): the rule the
	// SDK core applies again before it shows the message.
	var e *httpio.RPError
	if p.Message, e = displayParam("message", p.Message); e != nil {
		return e
	}
	if p.UserAgent, e = displayParam("user_agent", p.UserAgent); e != nil {
		return e
	}
	// Details (DESIGN §13): each label and value in NFC, then the limits and
	// the display rule of the message (protocol.CheckDetails).
	for i := range p.Details {
		d := &p.Details[i]
		if !utf8.ValidString(d.Label) || !utf8.ValidString(d.Value) {
			return invalid("parameters must be UTF-8")
		}
		if !printableASCII(d.Label) {
			d.Label = norm.NFC.String(d.Label)
		}
		if !printableASCII(d.Value) {
			d.Value = norm.NFC.String(d.Value)
		}
	}
	if err := protocol.CheckDetails(p.Details); err != nil {
		return invalid("details: " + err.Error())
	}
	return nil
}

// displayParam returns parameter name's value v in NFC, or a 1003 error
// naming the parameter and the class of character refused.
func displayParam(name, v string) (string, *httpio.RPError) {
	if v == "" {
		return v, nil
	}
	if printableASCII(v) {
		// NFC already; only a run of spaces can be refused.
		if err := protocol.CheckDisplayText(v); err != nil {
			return v, invalid(name + ": " + err.Error())
		}
		return v, nil
	}
	if !norm.NFC.IsNormalString(v) {
		v = norm.NFC.String(v)
	}
	if len(v) > protocol.MaxDisplayBytes {
		return v, invalid(name + " is too long")
	}
	if err := protocol.CheckDisplayText(v); err != nil {
		return v, invalid(name + ": " + err.Error())
	}
	return v, nil
}

// printableASCII reports whether v holds only printable ASCII (0x20..0x7e).
func printableASCII(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func invalid(desc string) *httpio.RPError {
	return &httpio.RPError{Status: 400, Err: "invalid_parameter", Code: httpio.RPCodeInvalidParam, Description: desc}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
