package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/demo"
	"github.com/openmobileauth/oma/server/servertest"
)

// phoneRun runs the phone command in this process (the real bridge and core)
// and returns its exit code and output.
func phoneRun(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &out)
	return code, out.String()
}

// world is a real Token Server, the demo app in front of it and a browser
// session on the demo app.
type world struct {
	ts      *servertest.TestServer
	web     *httptest.Server
	browser *http.Client
	data    string
}

func newWorld(t *testing.T) *world {
	ts := servertest.Start(t, servertest.Options{})
	d, err := demo.New(demo.Config{APIBaseURL: ts.URL, ClientID: ts.APIClientID, ClientSecret: ts.APIClientSecret, OTPType: ts.OTPType})
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(d)
	t.Cleanup(web.Close)
	jar, _ := cookiejar.New(nil)
	return &world{ts: ts, web: web, browser: &http.Client{Jar: jar, Timeout: time.Minute}, data: t.TempDir()}
}

func (w *world) phone(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	return phoneRun(t, stdin, append(args, "--data", w.data, "--server", w.ts.URL)...)
}

func (w *world) pagePost(t *testing.T, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.web.URL+path, strings.NewReader("{}"))
	req.Header.Set("X-Requested-With", "oma-demo")
	resp, err := w.browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if resp.StatusCode != 200 || json.Unmarshal(b, &m) != nil {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
	}
	return m
}

func (w *world) pageGet(t *testing.T, path string) map[string]any {
	t.Helper()
	resp, err := w.browser.Get(w.web.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustOK(t *testing.T, code int, out string, what string) {
	t.Helper()
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s", what, code, out)
	}
}

func TestPhoneRegistersEnrollsAndAnswersTheDemoPage(t *testing.T) {
	w := newWorld(t)
	code, out := w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", w.ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	if !strings.Contains(out, "Registered: "+w.ts.DemoUser+" (profile ") || strings.Contains(out, "24680") {
		t.Fatalf("register output: %s", out)
	}
	// The server URL is remembered: later commands need no --server.
	code, out = phoneRun(t, "", "status", "--json", "--data", w.data)
	mustOK(t, code, out, "status")
	var st struct {
		Server   string `json:"server"`
		Profiles []struct {
			ID       string `json:"id"`
			Enrolled bool   `json:"enrolled"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Server != w.ts.URL || len(st.Profiles) != 1 || st.Profiles[0].Enrolled {
		t.Fatalf("status before enroll: %v %s", err, out)
	}

	code, out = w.phone(t, "", "enroll", "--pin", "13579")
	if code != 1 || !strings.Contains(out, "error 8004 WRONG_PIN") {
		t.Fatalf("enroll with a wrong PIN: exit %d\n%s", code, out)
	}
	code, out = w.phone(t, "", "enroll", "--pin", "24680")
	mustOK(t, code, out, "enroll")
	code, out = w.phone(t, "", "status")
	mustOK(t, code, out, "status")
	if !strings.Contains(out, ": enrolled for mobile authentication") {
		t.Fatalf("status after enroll: %s", out)
	}

	// QR login, answered interactively ("y" on standard input).
	login := w.pagePost(t, "/api/login")
	code, out = w.phone(t, "y\n", "scan", login["otp"].(string))
	mustOK(t, code, out, "scan (typed y)")
	if !strings.Contains(out, "Log in to OMA Demo Bank") || !strings.Contains(out, "Accepted.") {
		t.Fatalf("scan output: %s", out)
	}
	s := w.pageGet(t, "/api/transactions/"+login["transactionId"].(string))
	if s["status"] != "accepted" || s["userId"] != w.ts.DemoUser || s["loggedInUser"] != w.ts.DemoUser {
		t.Fatalf("after accept: %v", s)
	}

	// The user-bound payment, accepted from a QR image file.
	pay := w.pagePost(t, "/api/payment")
	if pay["userId"] != w.ts.DemoUser || pay["message"] != "Pay 25.00 EUR to Example Shop" {
		t.Fatalf("payment: %v", pay)
	}
	qrFile := filepath.Join(t.TempDir(), "qr.png")
	writeDataURI(t, pay["qr"].(string), qrFile)
	code, out = w.phone(t, "", "scan", "--qr", qrFile, "--accept")
	mustOK(t, code, out, "scan --qr --accept")
	if !strings.Contains(out, "Pay 25.00 EUR to Example Shop") || strings.Contains(out, pay["otp"].(string)) {
		t.Fatalf("scan --qr output: %s", out)
	}
	if s := w.pageGet(t, "/api/transactions/"+pay["transactionId"].(string)); s["status"] != "accepted" {
		t.Fatalf("payment after accept: %v", s)
	}

	// Denied, then answered again: refused with its SDK code.
	deny := w.pagePost(t, "/api/login")
	code, out = w.phone(t, "", "scan", deny["otp"].(string), "--deny")
	mustOK(t, code, out, "scan --deny")
	if !strings.Contains(out, "Denied.") {
		t.Fatalf("deny output: %s", out)
	}
	if s := w.pageGet(t, "/api/transactions/"+deny["transactionId"].(string)); s["status"] != "denied" || s["reason"] != "not_accepted" {
		t.Fatalf("after deny: %v", s)
	}
	code, out = w.phone(t, "", "scan", deny["otp"].(string), "--accept")
	if code != 1 || !(strings.Contains(out, "error 9029") || strings.Contains(out, "error 10013")) {
		t.Fatalf("second answer: exit %d\n%s", code, out)
	}

	// Malformed OTP and usage errors.
	code, out = w.phone(t, "", "scan", "not-an-otp", "--accept")
	if code != 1 || !strings.Contains(out, "error 10018 NOT_HANDLEABLE") {
		t.Fatalf("malformed OTP: exit %d\n%s", code, out)
	}
	if code, out = w.phone(t, "", "scan"); code != 2 {
		t.Fatalf("scan without OTP: exit %d\n%s", code, out)
	}
	if code, out = w.phone(t, "", "scan", "X", "--accept", "--deny"); code != 2 {
		t.Fatalf("--accept --deny: exit %d\n%s", code, out)
	}
	if code, out = w.phone(t, "", "fly"); code != 2 {
		t.Fatalf("unknown command: exit %d\n%s", code, out)
	}

	// Deregistration removes the user from the phone.
	code, out = w.phone(t, "", "deregister")
	mustOK(t, code, out, "deregister")
	code, out = w.phone(t, "", "status", "--json")
	mustOK(t, code, out, "status")
	if !strings.Contains(out, `"profiles": []`) {
		t.Fatalf("status after deregister: %s", out)
	}
	code, out = w.phone(t, "", "login", "--pin", "24680")
	if code != 1 || !strings.Contains(out, "run phone register first") {
		t.Fatalf("login without a user: exit %d\n%s", code, out)
	}
}

func TestPhoneRegisterRefusesAWrongPassword(t *testing.T) {
	w := newWorld(t)
	code, out := w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", "wrong-password", "--pin", "24680")
	if code != 1 || !strings.Contains(out, "refused the username or password") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if strings.Contains(out, "wrong-password") {
		t.Fatal("the password is in the output")
	}
	code, out = w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", w.ts.DemoPassword, "--pin", "12345")
	if code != 1 || !strings.Contains(out, "error 9012 PIN_IS_A_SEQUENCE") {
		t.Fatalf("a PIN against the policy: exit %d\n%s", code, out)
	}
}

func TestPhoneInteractiveRegistrationAsksForEverything(t *testing.T) {
	w := newWorld(t)
	// Username, password, PIN twice (a mismatch first), all on standard input.
	in := w.ts.DemoUser + "\n" + w.ts.DemoPassword + "\n24680\n11111\n24680\n24680\n"
	code, out := w.phone(t, in, "register")
	mustOK(t, code, out, "interactive register")
	for _, want := range []string{"Login page: ", "Username: ", "Password: ", "The PINs differ", "Registered: " + w.ts.DemoUser + " (profile "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A PIN answered on standard input.
	code, out = w.phone(t, "24680\n", "login")
	mustOK(t, code, out, "interactive login")
	// Nothing on standard input: a clear failure, not a hang.
	code, out = w.phone(t, "", "login")
	if code != 1 || !strings.Contains(out, "no answer on standard input") {
		t.Fatalf("login without a PIN: exit %d\n%s", code, out)
	}
}

func TestPhoneReportsAnUnreachableServer(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	code, out := phoneRun(t, "", "status", "--data", t.TempDir(), "--server", url)
	if code != 1 || !(strings.Contains(out, "error 9001") || strings.Contains(out, "error 9000")) {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func writeDataURI(t *testing.T, uri, path string) {
	t.Helper()
	i := strings.Index(uri, ",")
	b, err := base64Decode(uri[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func base64Decode(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

func TestPaymentOfOneUserCannotBeAnsweredByAnotherUsersPhone(t *testing.T) {
	w := newWorld(t)
	alice := w.ts.CreateUser("alice", "alice-password")
	demoPhone, alicePhone := w.data, t.TempDir()
	for _, p := range []struct{ data, user, pass string }{{demoPhone, w.ts.DemoUser, w.ts.DemoPassword}, {alicePhone, alice, "alice-password"}} {
		code, out := phoneRun(t, "", "register", "--data", p.data, "--server", w.ts.URL, "--user", p.user, "--password", p.pass, "--pin", "24680")
		mustOK(t, code, out, "register "+p.user)
		code, out = phoneRun(t, "", "enroll", "--data", p.data, "--pin", "24680")
		mustOK(t, code, out, "enroll "+p.user)
	}
	// Alice's phone answers a QR login: the page logs alice in.
	login := w.pagePost(t, "/api/login")
	code, out := phoneRun(t, "", "scan", login["otp"].(string), "--accept", "--data", alicePhone)
	mustOK(t, code, out, "alice accepts the login")
	// The page watches its request; the backend logs the user in when it sees the answer.
	if s := w.pageGet(t, "/api/transactions/"+login["transactionId"].(string)); s["status"] != "accepted" {
		t.Fatalf("login: %v", s)
	}
	if s := w.pageGet(t, "/api/session"); s["userId"] != alice {
		t.Fatalf("session after alice's login: %v", s)
	}
	// The payment is bound to alice: demo's phone is refused and sees no message.
	pay := w.pagePost(t, "/api/payment")
	code, out = phoneRun(t, "", "scan", pay["otp"].(string), "--accept", "--data", demoPhone)
	t.Logf("another user's phone: %s", out)
	if code != 1 || !strings.Contains(out, "phone: error ") || strings.Contains(out, "Pay 25.00 EUR") {
		t.Fatalf("another user's phone: exit %d\n%s", code, out)
	}
	if s := w.pageGet(t, "/api/transactions/"+pay["transactionId"].(string)); s["status"] != "pending" {
		t.Fatalf("payment after the refused answer: %v", s)
	}
	code, out = phoneRun(t, "", "scan", pay["otp"].(string), "--accept", "--data", alicePhone)
	mustOK(t, code, out, "alice confirms the payment")
	if s := w.pageGet(t, "/api/transactions/"+pay["transactionId"].(string)); s["status"] != "accepted" || s["userId"] != alice {
		t.Fatalf("payment after alice's answer: %v", s)
	}
}
