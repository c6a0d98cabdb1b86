package demo_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	_ "image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/openmobileauth/oma/demo"
	"github.com/openmobileauth/oma/server/servertest"
)

// rig is a real Token Server (servertest) and the demo app in front of it.
type rig struct {
	ts   *servertest.TestServer
	web  *httptest.Server
	http *http.Client // a browser: keeps the session cookie
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ts := servertest.Start(t, servertest.Options{})
	d, err := demo.New(demo.Config{
		APIBaseURL: ts.URL, ClientID: ts.APIClientID, ClientSecret: ts.APIClientSecret, OTPType: ts.OTPType,
	})
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(d)
	t.Cleanup(web.Close)
	return &rig{ts: ts, web: web, http: browser()}
}

func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 60 * time.Second}
}

// post sends what the page's script sends.
func (r *rig) post(t *testing.T, c *http.Client, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.web.URL+path, strings.NewReader("{}"))
	req.Header.Set("X-Requested-With", "oma-demo")
	req.Header.Set("Content-Type", "application/json")
	return do(t, c, req)
}

func (r *rig) get(t *testing.T, c *http.Client, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.web.URL+path, nil)
	return do(t, c, req)
}

func do(t *testing.T, c *http.Client, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: not JSON (%d): %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return resp.StatusCode, m
}

func TestNewChecksItsConfiguration(t *testing.T) {
	ok := demo.Config{APIBaseURL: "http://127.0.0.1:1", ClientID: "id", ClientSecret: "s", OTPType: "demo"}
	if _, err := demo.New(ok); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*demo.Config){
		"no URL":    func(c *demo.Config) { c.APIBaseURL = "" },
		"bad URL":   func(c *demo.Config) { c.APIBaseURL = "ftp://x" },
		"no id":     func(c *demo.Config) { c.ClientID = "" },
		"no secret": func(c *demo.Config) { c.ClientSecret = "" },
		"no type":   func(c *demo.Config) { c.OTPType = "" },
	} {
		c := ok
		mut(&c)
		if _, err := demo.New(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPageAndAssets(t *testing.T) {
	r := newRig(t)
	for path, want := range map[string]string{
		"/":                 "Log in with your phone",
		"/static/app.js":    "EventSource",
		"/static/style.css": ".status",
	} {
		resp, err := r.http.Get(r.web.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d, body without %q", path, resp.StatusCode, want)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: CSP %q", path, csp)
		}
	}
	resp, _ := r.http.Get(r.web.URL + "/static/")
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /static/ lists the directory: %d", resp.StatusCode)
	}
}

// decodeQR reads the QR code of a data: URI PNG.
func decodeQR(t *testing.T, uri string) string {
	t.Helper()
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(uri, prefix) {
		t.Fatalf("QR is not a PNG data URI: %.40s", uri)
	}
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(uri, prefix))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("QR not readable: %v", err)
	}
	return res.GetText()
}

var otpPattern = regexp.MustCompile(`^[A-Z2-7]{32}$`)

func TestLoginStartsAQRLoginAndShowsItsOTP(t *testing.T) {
	r := newRig(t)
	code, m := r.post(t, r.http, "/api/login")
	if code != 200 {
		t.Fatalf("login: %d %v", code, m)
	}
	otp, _ := m["otp"].(string)
	if !otpPattern.MatchString(otp) {
		t.Fatalf("otp %q", otp)
	}
	if got := decodeQR(t, m["qr"].(string)); got != otp {
		t.Fatalf("QR holds %q, want the OTP %q", got, otp)
	}
	if ttl := m["timeToLiveMs"].(float64); ttl < 60_000 || ttl > 300_000 {
		t.Errorf("timeToLiveMs %v, want the demo type's 5 minutes", ttl)
	}
	if m["message"] != "Log in to OMA Demo Bank" || m["kind"] != "login" {
		t.Errorf("message/kind: %v", m)
	}
	raw, _ := json.Marshal(m)
	if strings.Contains(string(raw), r.ts.APIClientSecret) {
		t.Fatal("the API client secret reached the browser")
	}
	id := m["transactionId"].(string)
	code, st := r.get(t, r.http, "/api/transactions/"+id)
	if code != 200 || st["status"] != "pending" || st["final"] != false {
		t.Fatalf("status: %d %v", code, st)
	}
	// Another browser cannot watch it.
	if code, _ := r.get(t, browser(), "/api/transactions/"+id); code != http.StatusNotFound {
		t.Errorf("another session read the transaction: %d", code)
	}
	if code, _ := r.get(t, r.http, "/api/transactions/unknown-id"); code != http.StatusNotFound {
		t.Errorf("unknown transaction: %d", code)
	}
}

func TestStateChangesNeedThePageScript(t *testing.T) {
	r := newRig(t)
	// A cross-site form post: no X-Requested-With header.
	resp, err := r.http.Post(r.web.URL+"/api/login", "application/x-www-form-urlencoded", strings.NewReader("a=b"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site login: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, r.web.URL+"/api/login", strings.NewReader("{}"))
	req.Header.Set("X-Requested-With", "oma-demo")
	req.Header.Set("Origin", "https://evil.example")
	if code, _ := do(t, r.http, req); code != http.StatusForbidden {
		t.Errorf("foreign origin: %d", code)
	}
}

func TestPaymentNeedsALoggedInUser(t *testing.T) {
	r := newRig(t)
	code, m := r.post(t, r.http, "/api/payment")
	if code != http.StatusUnauthorized || !strings.Contains(m["error"].(string), "log in") {
		t.Fatalf("payment without login: %d %v", code, m)
	}
	_, s := r.get(t, r.http, "/api/session")
	if s["userId"] != nil || s["amount"] != "25.00 EUR" || s["shopName"] != "Example Shop" {
		t.Errorf("session: %v", s)
	}
}

func TestWrongAPICredentialsAreReportedWithoutTheSecret(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	const secret = "not-the-secret-0123456789"
	d, _ := demo.New(demo.Config{APIBaseURL: ts.URL, ClientID: ts.APIClientID, ClientSecret: secret, OTPType: ts.OTPType})
	web := httptest.NewServer(d)
	defer web.Close()
	r := &rig{ts: ts, web: web, http: browser()}
	req, _ := http.NewRequest(http.MethodPost, web.URL+"/api/login", strings.NewReader("{}"))
	req.Header.Set("X-Requested-With", "oma-demo")
	resp, err := r.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(b), "credentials were refused") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if strings.Contains(string(b), secret) {
		t.Fatal("the secret is in the answer")
	}
}

func TestTheDemoCannotReachItsServer(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	d, _ := demo.New(demo.Config{APIBaseURL: url, ClientID: "a", ClientSecret: "b", OTPType: "demo"})
	web := httptest.NewServer(d)
	defer web.Close()
	req, _ := http.NewRequest(http.MethodPost, web.URL+"/api/login", strings.NewReader("{}"))
	req.Header.Set("X-Requested-With", "oma-demo")
	code, m := do(t, browser(), req)
	if code != http.StatusBadGateway || !strings.Contains(m["error"].(string), "cannot be reached") {
		t.Fatalf("%d %v", code, m)
	}
}

// sseEvents reads server-sent events until the stream ends.
func sseEvents(t *testing.T, c *http.Client, url string) []map[string]any {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	var out []map[string]any
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "status":
			var m map[string]any
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
	}
	return out
}

func TestExpiryReachesThePageLive(t *testing.T) {
	r := newRig(t)
	_, m := r.post(t, r.http, "/api/login")
	id := m["transactionId"].(string)
	done := make(chan []map[string]any, 1)
	go func() { done <- sseEvents(t, r.http, r.web.URL+"/api/transactions/"+id+"/events") }()
	time.Sleep(300 * time.Millisecond) // the stream has sent "pending" and long-polls
	r.ts.Clock.Advance(5*time.Minute + time.Second)
	var evs []map[string]any
	select {
	case evs = <-done:
	case <-time.After(40 * time.Second):
		t.Fatal("the event stream did not end after the expiry")
	}
	if len(evs) < 2 || evs[0]["status"] != "pending" {
		t.Fatalf("events %v", evs)
	}
	last := evs[len(evs)-1]
	if last["status"] != "expired" || last["final"] != true {
		t.Fatalf("last event %v", last)
	}
	// A reconnect after the end answers the final status at once.
	again := sseEvents(t, r.http, r.web.URL+"/api/transactions/"+id+"/events")
	if len(again) != 1 || again[0]["status"] != "expired" {
		t.Fatalf("reconnect: %v", again)
	}
}
