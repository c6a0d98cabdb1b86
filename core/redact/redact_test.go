package redact

import (
	"errors"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/internal/testutil"

	"github.com/rs/zerolog"
	"github.com/tidwall/gjson"
)

// secrets used below; none of them may appear in any log line.
var testSecrets = []string{
	"913572", "4829", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl", "rt-7f3a9c1e",
	"at-55e1b2", "hunter2", "s3cr3tValue", "MHcCAQEEIPrivateKeyMaterial", "dXNlcjpwYXNz",
	"dpop-proof-xyz", "authcode-q1w2e3", "verifier-abcdef",
}

func TestLoggerRedactsSecrets(t *testing.T) {
	var buf testutil.SyncBuffer
	lg := NewLogger(&buf, zerolog.DebugLevel)
	lg.Info().Str("otp", "913572").Msg("otp field")
	lg.Info().Str("pin", "4829").Str("newPin", "4829").Msg("pin fields")
	lg.Info().Str("accessToken", "at-55e1b2").Str("refresh_token", "rt-7f3a9c1e").Str("id_token", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl").Msg("token fields")
	lg.Info().Str("Authorization", "Basic dXNlcjpwYXNz").Str("DPoP", "dpop-proof-xyz").Msg("headers")
	lg.Info().Str("header", "Authorization: Bearer at-55e1b2").Msg("header as text")
	lg.Info().Str("private_key", "MHcCAQEEIPrivateKeyMaterial").Str("client_secret", "s3cr3tValue").Msg("keys")
	lg.Info().Str("url", "https://x.test/cb?code=authcode-q1w2e3&state=ok&code_verifier=verifier-abcdef").Msg("url")
	lg.Info().Str("request", `{"jsonrpc":"2.0","id":1,"method":"handleMobileAuthWithOtp","params":{"otp":"913572"}}`).Msg("json in a string")
	lg.Info().RawJSON("body", []byte(`{"user":{"pin":"4829","profile":"p1"},"list":[{"token":"at-55e1b2"}]}`)).Msg("nested json")
	lg.Info().Interface("headers", map[string][]string{"Authorization": {"Bearer at-55e1b2"}, "Accept": {"application/json"}}).Msg("header map")
	lg.Error().Err(errors.New("login failed: password hunter2 rejected")).Msg("error text")
	lg.Warn().Msg(`server said {"otp": "913572"} and pin=4829`)
	lg.Info().Str("note", "text with a jwt eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl inside").Msg("jwt in text")
	lg.Info().Int("code", 8004).Str("profileId", "p1").Int("remainingFailureCount", 2).Msg("kept")

	out := buf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 14 {
		t.Fatalf("want 14 lines, got %d:\n%s", len(lines), out)
	}
	for _, s := range testSecrets {
		if strings.Contains(out, s) {
			t.Errorf("secret %q reached the log", s)
		}
	}
	for i, l := range lines {
		if !gjson.Valid(l) {
			t.Fatalf("line %d is not JSON after redaction: %s", i, l)
		}
	}
	// Redaction keeps the structure and the harmless values.
	if gjson.Get(lines[0], "otp").String() != Redacted || gjson.Get(lines[0], "message").String() != "otp field" {
		t.Errorf("otp line: %s", lines[0])
	}
	inner := gjson.Get(lines[7], "request").String()
	if gjson.Get(inner, "params.otp").String() != Redacted || gjson.Get(inner, "method").String() != "handleMobileAuthWithOtp" {
		t.Errorf("json in a string: %s", lines[7])
	}
	if gjson.Get(lines[8], "body.user.profile").String() != "p1" || gjson.Get(lines[8], "body.user.pin").String() != Redacted {
		t.Errorf("nested json: %s", lines[8])
	}
	if gjson.Get(lines[6], "url").String() != "https://x.test/cb?code="+Redacted+"&state=ok&code_verifier="+Redacted {
		t.Errorf("url: %s", lines[6])
	}
	if gjson.Get(lines[9], "headers.Accept.0").String() != "application/json" {
		t.Errorf("header map: %s", lines[9])
	}
	last := lines[13]
	if gjson.Get(last, "code").Int() != 8004 || gjson.Get(last, "profileId").String() != "p1" || gjson.Get(last, "remainingFailureCount").Int() != 2 {
		t.Errorf("harmless fields changed: %s", last)
	}
}

func TestRedactText(t *testing.T) {
	cases := map[string]string{
		"Authorization: Bearer abc.def":    "Authorization: Bearer " + Redacted,
		"DPoP eyJx.y.z":                    "DPoP " + Redacted,
		"otp=123456&x=1":                   "otp=" + Redacted + "&x=1",
		"access_token=abc refresh_token=d": "access_token=" + Redacted + " refresh_token=" + Redacted,
		`"pin":"1234"`:                     `"pin":"` + Redacted + `"`,
		"nothing secret here":              "nothing secret here",
		"the password hunter2 was wrong":   "the password " + Redacted + " was wrong",
	}
	for in, want := range cases {
		if got := RedactText(in); got != want {
			t.Errorf("RedactText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactJSON(t *testing.T) {
	in := `{"a":1,"otp":"1","pin":null,"nested":{"Token":{"x":"y"},"list":["otp=5"]},"code":9010,"keep":"ok"}`
	want := `{"a":1,"otp":"` + Redacted + `","pin":null,"nested":{"Token":{"x":"` + Redacted + `"},"list":["otp=` + Redacted + `"]},"code":9010,"keep":"ok"}`
	if got := RedactJSON(in); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestLoggerLevelAndPlainText(t *testing.T) {
	var buf testutil.SyncBuffer
	lg := NewLogger(&buf, zerolog.WarnLevel)
	lg.Info().Str("x", "y").Msg("hidden")
	if buf.String() != "" {
		t.Fatalf("info written at warn level: %s", buf.String())
	}
	w := RedactingWriter(&buf)
	if _, err := w.Write([]byte("plain line with otp=123456\n")); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "plain line with otp="+Redacted+"\n" {
		t.Fatalf("plain text: %q", got)
	}
}

func TestRedactJSONDeepNesting(t *testing.T) {
	n := 200000
	deep := strings.Repeat(`{"a":`, n) + `"otp=1"` + strings.Repeat("}", n)
	out := RedactJSON(`{"otp":"9","body":` + deep + `}`)
	if !gjson.Valid(out) || !strings.Contains(out, Truncated) || strings.Contains(out, `"otp":"9"`) {
		t.Fatalf("deep document: %.200s", out)
	}
	// A secret inside a JSON string nested in JSON strings is still found.
	nested := `{"x":"{\"y\":\"{\\\"pin\\\":\\\"2468\\\"}\"}"}`
	if got := RedactJSON(nested); strings.Contains(got, "2468") || !gjson.Valid(got) {
		t.Fatalf("nested strings: %s", got)
	}
}
