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

func newRig(t *testing.T, longPollOnly ...bool) *rig {
	t.Helper()
	ts := servertest.Start(t, servertest.Options{})
	d, err := demo.New(demo.Config{
		APIBaseURL: ts.URL, ClientID: ts.APIClientID, ClientSecret: ts.APIClientSecret, OTPType: ts.OTPType,
		LongPollOnly: len(longPollOnly) > 0 && longPollOnly[0],
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

// modes are the two ways the backend waits for answers.
var modes = map[string]bool{"event stream": false, "long poll": true}

// stream opens the page's event stream and delivers its status events.
func stream(t *testing.T, c *http.Client, url string) <-chan map[string]any {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	ch := make(chan map[string]any, 16)
	go func() {
		defer resp.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "status":
				var m map[string]any
				if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &m) == nil {
					ch <- m
				}
			}
		}
	}()
	return ch
}

func next(t *testing.T, ch <-chan map[string]any, within time.Duration) map[string]any {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return m
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return nil
}

func ended(t *testing.T, ch <-chan map[string]any) {
	t.Helper()
	select {
	case m, ok := <-ch:
		if ok {
			t.Fatalf("event after the final one: %v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the event stream did not end after the final status")
	}
}

func TestAnswersReachThePageLive(t *testing.T) {
	for name, longPoll := range modes {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, longPoll)
			dev := r.ts.Enrolled(r.ts.DemoUser, r.ts.DemoPassword, "24680")
			_, m := r.post(t, r.http, "/api/login")
			id := m["transactionId"].(string)
			ch := stream(t, r.http, r.web.URL+"/api/transactions/"+id+"/events")
			if ev := next(t, ch, 5*time.Second); ev["status"] != "pending" || ev["final"] != false {
				t.Fatalf("first event %v", ev)
			}
			claim, err := dev.Claim(m["otp"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if claim.Message == "" || !strings.HasPrefix(claim.Message, "Log in to OMA Demo Bank") {
				t.Errorf("the phone is shown %q", claim.Message)
			}
			if !longPoll { // the event stream reports the claim; the long poll waits for the answer
				if ev := next(t, ch, 5*time.Second); ev["status"] != "claimed" {
					t.Fatalf("after the claim: %v", ev)
				}
			}
			if _, err := dev.Answer(dev.SignedAnswer(claim, "accept", nil)); err != nil {
				t.Fatal(err)
			}
			ev := next(t, ch, 5*time.Second)
			if ev["status"] != "accepted" || ev["userId"] != r.ts.DemoUserID || ev["final"] != true || ev["loggedInUser"] != r.ts.DemoUserID {
				t.Fatalf("after the answer: %v", ev)
			}
			ended(t, ch)
			if _, s := r.get(t, r.http, "/api/session"); s["userId"] != r.ts.DemoUserID {
				t.Fatalf("session: %v", s)
			}

			// The payment is bound to the logged-in user; deny it.
			_, p := r.post(t, r.http, "/api/payment")
			if p["userId"] != r.ts.DemoUserID || p["kind"] != "payment" {
				t.Fatalf("payment: %v", p)
			}
			pid := p["transactionId"].(string)
			ch = stream(t, r.http, r.web.URL+"/api/transactions/"+pid+"/events")
			next(t, ch, 5*time.Second)
			claim, err = dev.Claim(p["otp"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if claim.Message != "Pay 25.00 EUR to Example Shop" && !strings.HasPrefix(claim.Message, "Pay 25.00 EUR to Example Shop") {
				t.Errorf("the phone is shown %q", claim.Message)
			}
			if _, err := dev.Answer(dev.SignedAnswer(claim, "deny", nil)); err != nil {
				t.Fatal(err)
			}
			for {
				ev = next(t, ch, 5*time.Second)
				if ev["status"] != "claimed" {
					break
				}
			}
			if ev["status"] != "denied" || ev["reason"] != "not_accepted" || ev["final"] != true {
				t.Fatalf("after the deny: %v", ev)
			}
			ended(t, ch)
		})
	}
}

func TestExpiryReachesThePageLive(t *testing.T) {
	for name, longPoll := range modes {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, longPoll)
			_, m := r.post(t, r.http, "/api/login")
			id := m["transactionId"].(string)
			url := r.web.URL + "/api/transactions/" + id + "/events"
			ch := stream(t, r.http, url)
			if ev := next(t, ch, 5*time.Second); ev["status"] != "pending" {
				t.Fatalf("first event %v", ev)
			}
			r.ts.Clock.Advance(5*time.Minute + time.Second)
			if ev := next(t, ch, 40*time.Second); ev["status"] != "expired" || ev["final"] != true || ev["reason"] != "expired" {
				t.Fatalf("after the expiry: %v", ev)
			}
			ended(t, ch)
			// A reconnect after the end answers the final status at once.
			again := stream(t, r.http, url)
			if ev := next(t, again, 5*time.Second); ev["status"] != "expired" {
				t.Fatalf("reconnect: %v", ev)
			}
			ended(t, again)
		})
	}
}
