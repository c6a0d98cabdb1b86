package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// Issue 11 item 5: nothing that could mislead the user reaches the phone.
// Each class of character is refused with 1003 naming the parameter, in the
// message and in the user agent (folded into what the phone shows).
func TestCreateRefusesMisleadingText(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	classes := map[string]string{
		"newline":             "Pay 10 EUR\n(your usual device)",
		"carriage return":     "a\rb",
		"U+2028":              "a\u2028b",
		"U+2029":              "a\u2029b",
		"NEL U+0085":          "a\u0085b",
		"C0 control":          "a\x1b[31mb",
		"C1 control":          "a\u009bb",
		"DEL":                 "a\x7fb",
		"bidi override":       "Pay \u202e0001\u202c EUR",
		"bidi embedding":      "a\u202ab",
		"bidi isolate":        "a\u2066b\u2069",
		"bidi mark LRM":       "a\u200eb",
		"bidi mark RLM":       "a\u200fb",
		"arabic letter mark":  "a\u061cb",
		"zero-width space":    "a\u200bb",
		"zero-width joiner":   "a\u200db",
		"zero-width non-join": "a\u200cb",
		"word joiner":         "a\u2060b",
		"BOM":                 "\ufeffa",
		"soft hyphen":         "a\u00adb",
		"private use":         "a\ue000b",
		"non-character":       "a\ufdd0b",
		"unassigned":          "a\u0378b",
		"combining run":       "x" + strings.Repeat("\u0301", protocol.MaxCombiningRun+1),
	}
	for name, bad := range classes {
		for _, param := range []string{"message", "user_agent"} {
			p := rp.CreateParams{Message: "Log in?"}
			if param == "message" {
				p.Message = bad
			} else {
				p.UserAgent = bad
			}
			_, _, err := ts.CreateAuthRequest(ctx, p)
			var re *servertest.RPError
			if !asRPError(err, &re) || re.Status != http.StatusBadRequest || re.Code != 1003 || !strings.HasPrefix(re.Description, param+":") {
				t.Errorf("%s in %s: got %v, want 400 / 1003 naming %s", name, param, err, param)
			}
		}
	}
	// JSON bodies take the same path.
	err := ts.RPDo(ctx, http.MethodPost, rp.PathCreate, "application/json", []byte(`{"type":"demo","message":"a\u202eb"}`), nil)
	wantRPErr(t, err, http.StatusBadRequest, 1003)
}

// The message is stored (and signed over by the phone) in NFC, and it is
// limited in bytes as well as characters.
func TestCreateNormalizesAndLimitsBytes(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	_, otp := newRequest(t, ts, rp.CreateParams{Message: "Cafe\u0301 Zoe\u0308"}) // decomposed é and ë
	c, err := d.Claim(otp)
	if err != nil {
		t.Fatal(err)
	}
	if c.Message != "Caf\u00e9 Zo\u00eb" {
		t.Fatalf("shown message %q, want NFC", c.Message)
	}
	// 155 characters of 4 bytes each fit the byte limit; a client allowed
	// 1000 characters still cannot send more than rp.MaxMessageBytes bytes.
	newRequest(t, ts, rp.CreateParams{Message: strings.Repeat("😀", 155)})
	secret, err := ts.Server.Admin().CreateAPIClient(ctx, server.APIClientSpec{ID: "wide", MaxMessageLen: 1000})
	if err != nil {
		t.Fatal(err)
	}
	create := func(msg string) int {
		body := url.Values{"type": {ts.OTPType}, "message": {msg}}.Encode()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+rp.PathCreate, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("wide", secret.Secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct {
			Code int `json:"error_code"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return e.Code
	}
	if code := create(strings.Repeat("x", 1000)); code != 0 {
		t.Fatalf("1000 ASCII characters for a client allowed 1000: error %d", code)
	}
	if code := create(strings.Repeat("😀", 300)); code != 1005 {
		t.Fatalf("300 characters of 1200 bytes: error %d, want 1005", code)
	}
	_, _, err = ts.CreateAuthRequest(ctx, rp.CreateParams{Message: strings.Repeat("😀", 156)})
	wantRPErr(t, err, http.StatusBadRequest, 1005)
}

// An OTP type's template and name reach the phone too: refused when set.
func TestOTPTypeTemplateChecked(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	a := ts.Server.Admin()
	for _, tpl := range []string{"{message}\n(your usual device)", "\u202e{message}", "{message}\u200b"} {
		if err := a.PutOTPType(ctx, "bad", 300e9, tpl); err == nil {
			t.Errorf("template %q accepted", tpl)
		}
	}
	if err := a.PutOTPType(ctx, "bad\u202e", 300e9, "{message}"); err == nil {
		t.Error("type name with a bidi override accepted")
	}
	// A template stored before this check (or by hand) is refused at create.
	if err := ts.Server.Store().InTx(ctx, func(tx store.Tx) error {
		return tx.PutOTPType(ctx, store.OTPType{Name: "legacy", ExpirySecs: 300, MessageTemplate: "{message}\n(your usual device)"})
	}); err != nil {
		t.Fatal(err)
	}
	_, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Type: "legacy", Message: "Pay"})
	wantRPErr(t, err, http.StatusBadRequest, 1003)
}
