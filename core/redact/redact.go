package redact

import (
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"
)

// Redacted replaces every secret value in log output.
const Redacted = "[REDACTED]"

// sensitiveKey reports whether a JSON field name holds a secret: OTPs, PINs,
// tokens, keys, secrets, passwords, code verifiers, signatures, Authorization and
// DPoP headers. Matching is on the lower-cased name.
func sensitiveKey(k string) bool {
	k = strings.ToLower(k)
	switch k {
	case "otp", "pin", "authorization", "dpop", "password", "secret", "code", "code_verifier",
		"codeverifier", "signature", "csr", "key", "private_key", "privatekey", "cookie", "set-cookie":
		return true
	}
	return strings.Contains(k, "token") || strings.Contains(k, "secret") || strings.Contains(k, "password") ||
		strings.HasSuffix(k, "_key") || strings.HasSuffix(k, "privatekey") || strings.Contains(k, "otp") ||
		strings.HasSuffix(k, "pin") || strings.HasPrefix(k, "pin_") || strings.HasPrefix(k, "pin-")
}

// credentialPattern finds credentials embedded in free text: Authorization scheme
// values, secrets given as name=value / name: value (query strings, headers,
// JSON-looking text), secrets named in prose ("password hunter2") and JWTs.
var credentialPattern = regexp.MustCompile(`(?i)\b(?:bearer|dpop|basic)\s+[A-Za-z0-9._~+/=-]+` +
	`|(?i)\b(?:otp|pin|code|[a-z_]*token|code_verifier|secret|client_secret|password|passwd|passphrase|private_?key|api_?key)"?\s*[=:]\s*"?[^&\s",}]+` +
	`|(?i)\b(?:password|passwd|passphrase)\s+[^\s",}]+` +
	`|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// secretValueStart finds where the secret part of a credentialPattern match starts.
var secretValueStart = regexp.MustCompile(`(?i)^(?:bearer|dpop|basic)\s+|^[a-z_]+"?\s*[=:]\s*"?|^[a-z]+\s+`)

// RedactText removes credentials embedded in free text.
func RedactText(s string) string {
	if !mayHoldCredential(s) {
		return s
	}
	return credentialPattern.ReplaceAllStringFunc(s, func(m string) string {
		if loc := secretValueStart.FindStringIndex(m); loc != nil && !strings.HasPrefix(m, "eyJ") {
			return m[:loc[1]] + Redacted
		}
		return Redacted
	})
}

// RedactJSON returns the JSON document raw with the values of sensitive fields
// replaced by Redacted (at any depth) and credentials in strings removed.
func RedactJSON(raw string) string {
	var b strings.Builder
	writeRedacted(&b, gjson.Parse(raw), false, 0)
	return b.String()
}

// maxRedactDepth bounds the nesting RedactJSON walks; deeper values are replaced
// by Truncated (each level rescans its value, so depth costs time).
const maxRedactDepth = 24

// Truncated replaces values nested deeper than the redactor walks.
const Truncated = "[TRUNCATED]"

func writeRedacted(b *strings.Builder, v gjson.Result, secret bool, depth int) {
	if depth > maxRedactDepth && (v.IsObject() || v.IsArray()) {
		b.WriteString(`"` + Truncated + `"`)
		return
	}
	switch {
	case secret && !v.IsObject() && !v.IsArray():
		if v.Type == gjson.Null {
			b.WriteString("null")
			return
		}
		b.WriteString(`"` + Redacted + `"`)
	case v.IsObject():
		b.WriteByte('{')
		first := true
		v.ForEach(func(k, e gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(k.Raw)
			b.WriteByte(':')
			s := secret || sensitiveKey(k.Str)
			if k.Str == "code" && e.Type == gjson.Number {
				s = secret // numeric error codes are not secrets
			}
			writeRedacted(b, e, s, depth+1)
			return true
		})
		b.WriteByte('}')
	case v.IsArray():
		b.WriteByte('[')
		first := true
		v.ForEach(func(_, e gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeRedacted(b, e, secret, depth+1)
			return true
		})
		b.WriteByte(']')
	case v.Type == gjson.String && looksLikeJSON(v.Str):
		// JSON carried inside a string (a logged request or body): redact it as JSON.
		var inner strings.Builder
		writeRedacted(&inner, gjson.Parse(v.Str), false, depth+1)
		b.Write(jsonString(inner.String()))
	case v.Type == gjson.String:
		r := RedactText(v.Str)
		if r == v.Str {
			b.WriteString(v.Raw)
		} else {
			b.Write(jsonString(r))
		}
	default:
		b.WriteString(v.Raw)
	}
}

// looksLikeJSON reports whether s is a JSON object or array.
func looksLikeJSON(s string) bool {
	t := strings.TrimSpace(s)
	return len(t) >= 2 && (t[0] == '{' || t[0] == '[') && gjson.Valid(t)
}

// redactingWriter rewrites each zerolog JSON line before it reaches w.
type redactingWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (r *redactingWriter) Write(p []byte) (int, error) {
	line := strings.TrimRight(string(p), "\n")
	out := line
	if gjson.Valid(line) {
		out = RedactJSON(line)
	} else {
		out = RedactText(line)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := io.WriteString(r.w, out+"\n"); err != nil {
		return 0, err
	}
	return len(p), nil
}

// NewLogger returns a zerolog logger writing JSON lines to w at level, with every
// secret redacted (see sensitiveKey and RedactText). All SDK and server logging
// goes through a logger made here.
func NewLogger(w io.Writer, level zerolog.Level) zerolog.Logger {
	return zerolog.New(&redactingWriter{w: w}).Level(level).With().Timestamp().Logger()
}

// RedactingWriter wraps w so that every JSON log line written to it is redacted.
func RedactingWriter(w io.Writer) io.Writer { return &redactingWriter{w: w} }

// jsonString encodes s as a JSON string (invalid UTF-8 becomes U+FFFD; <, > and
// & are escaped as encoding/json does). Only rewritten values take this path.
func jsonString(s string) []byte {
	b, _ := json.Marshal(s) // marshalling a string never fails
	return b
}
