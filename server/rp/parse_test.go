package rp

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCreate(t *testing.T) {
	p, e := ParseCreate("application/x-www-form-urlencoded", []byte("type=demo&message=Log+in%3F&ip_address=2001%3Adb8%3A%3A1&user_id=alice"))
	if e != nil || p.Type != "demo" || p.Message != "Log in?" || p.IPAddress != "2001:db8::1" || p.UserID != "alice" {
		t.Fatalf("form: %+v %v", p, e)
	}
	p, e = ParseCreate("application/json", []byte(`{"type":"demo","message":"Hi","callback_uri":"https://a/cb","language_code":"nl"}`))
	if e != nil || p.CallbackURI != "https://a/cb" || p.LanguageCode != "nl" {
		t.Fatalf("json: %+v %v", p, e)
	}
	for _, bad := range []struct{ mt, body string }{
		{"application/json", `{"type":"demo","message":"hi","x":1}`},
		{"application/json", `{"type":"demo"}`},
		{"application/x-www-form-urlencoded", "message=hi"},
		{"application/x-www-form-urlencoded", "type=demo&message=hi&ip_address=localhost"},
		{"text/plain", "type=demo&message=hi"},
	} {
		if _, e := ParseCreate(bad.mt, []byte(bad.body)); e == nil || e.Code == 0 || e.Status < 400 || e.Status > 499 {
			t.Errorf("%s %q: %v", bad.mt, bad.body, e)
		}
	}
}

func TestShownMessage(t *testing.T) {
	ua := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0"
	if got := ShownMessage("{message}", "Log in?", ua, "198.51.100.4"); got != "Log in? from Edge on Windows, IP 198.51.100.4" {
		t.Fatalf("got %q", got)
	}
	if got := ShownMessage("Confirm: {message}", "pay", "", ""); got != "Confirm: pay" {
		t.Fatalf("got %q", got)
	}
	if got := ShownMessage("", "x", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", ""); got != "x from Safari on iOS" {
		t.Fatalf("got %q", got)
	}
	if got := ShownMessage("", "x", "curl/8.0", "10.0.0.1"); got != "x from IP 10.0.0.1" {
		t.Fatalf("got %q", got)
	}
}

// FuzzParseCreate: the relying-party body parser never panics, and what it
// accepts satisfies the validation rules.
func FuzzParseCreate(f *testing.F) {
	f.Add(false, []byte("type=demo&message=hi"))
	f.Add(false, []byte("type=%zz&message=%ff"))
	f.Add(false, []byte("type=demo&message=hi&user_id=a&user_id=b"))
	f.Add(true, []byte(`{"type":"demo","message":"hi"}`))
	f.Add(true, []byte(`{"type":1}`))
	f.Add(true, []byte(`[{"type":"demo"}]`))
	f.Add(true, []byte("{\"type\":\"demo\",\"message\":\"\xff\"}"))
	f.Add(true, []byte(strings.Repeat("[", 3000)))
	f.Fuzz(func(t *testing.T, isJSON bool, body []byte) {
		mt := "application/x-www-form-urlencoded"
		if isJSON {
			mt = "application/json"
		}
		p, e := ParseCreate(mt, body)
		if e != nil {
			if e.Status < 400 || e.Status > 499 || e.Code == 0 || e.Err == "" {
				t.Fatalf("error without a 4xx code: %+v", e)
			}
			return
		}
		if p.Type == "" || p.Message == "" || !utf8.ValidString(p.Message) || len(p.Type) > 64 {
			t.Fatalf("accepted invalid params %+v", p)
		}
	})
}
