package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// What a newcomer runs into on the terminal phone (issue 16), each through the
// real server and core.

func TestPhoneFlagsBeforeTheCommand(t *testing.T) {
	w := newWorld(t)
	code, out := phoneRun(t, "", "--data", w.data, "--server", w.ts.URL, "status", "--json")
	mustOK(t, code, out, "flags before the command")
	var st struct{ Server string }
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Server != w.ts.URL {
		t.Fatalf("status: %v %s", err, out)
	}
	code, out = phoneRun(t, "", "--data", w.data)
	if code != 2 || !strings.Contains(out, "no command given") {
		t.Fatalf("flags only: exit %d\n%s", code, out)
	}
	code, out = phoneRun(t, "", "--data", w.data, "bogus")
	if code != 2 || !strings.Contains(out, `unknown command "bogus"`) {
		t.Fatalf("unknown command after flags: exit %d\n%s", code, out)
	}
}

func TestPhoneScanBeforeEnrollingSaysWhatToRun(t *testing.T) {
	w := newWorld(t)
	login := w.pagePost(t, "/api/login")
	otp := login["otp"].(string)
	// Nobody registered on this phone yet.
	code, out := w.phone(t, "", "scan", otp, "--accept")
	if code != 1 || !strings.Contains(out, "phone register") || !strings.Contains(out, "phone enroll") {
		t.Fatalf("scan on an empty phone: exit %d\n%s", code, out)
	}
	// Registered but not enrolled.
	code, out = w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", w.ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	code, out = w.phone(t, "", "scan", otp, "--accept")
	if code != 1 || !strings.Contains(out, "not enrolled") || !strings.Contains(out, "'phone enroll'") {
		t.Fatalf("scan before enroll: exit %d\n%s", code, out)
	}
}

func TestPhoneShowsTheUserNameAndAnExpiredCode(t *testing.T) {
	w := newWorld(t)
	code, out := w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", w.ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	code, out = w.phone(t, "", "enroll", "--pin", "24680")
	mustOK(t, code, out, "enroll")
	code, out = w.phone(t, "", "status")
	mustOK(t, code, out, "status")
	if !strings.Contains(out, "User "+w.ts.DemoUser+" (profile ") {
		t.Fatalf("status without the user name: %s", out)
	}
	login := w.pagePost(t, "/api/login")
	code, out = w.phone(t, "", "scan", login["otp"].(string), "--accept")
	mustOK(t, code, out, "scan")
	if !strings.Contains(out, "request for "+w.ts.DemoUser+" (profile ") {
		t.Fatalf("scan without the user name: %s", out)
	}

	// An OTP scanned after its expiry: expired, ask for a new code.
	login = w.pagePost(t, "/api/login")
	w.ts.Clock.Advance(5*time.Minute + time.Second)
	code, out = w.phone(t, "", "scan", login["otp"].(string), "--accept")
	if code != 1 || !strings.Contains(out, "error 10013") || !strings.Contains(out, "has expired") || !strings.Contains(out, "new code") {
		t.Fatalf("expired OTP: exit %d\n%s", code, out)
	}
	// An OTP the server never issued stays "not found".
	code, out = w.phone(t, "", "scan", strings.Repeat("A", len(login["otp"].(string))), "--accept")
	if code != 1 || strings.Contains(out, "expired") {
		t.Fatalf("unknown OTP: exit %d\n%s", code, out)
	}
}

func TestPhoneLastWrongPinSaysTheRegistrationWasRemoved(t *testing.T) {
	w := newWorld(t)
	code, out := w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", w.ts.DemoPassword, "--pin", "24680")
	mustOK(t, code, out, "register")
	for i := 0; i < 2; i++ {
		code, out = w.phone(t, "", "login", "--pin", "13579")
		if code != 1 || !strings.Contains(out, "error 8004 WRONG_PIN") {
			t.Fatalf("wrong PIN %d: exit %d\n%s", i+1, code, out)
		}
	}
	code, out = w.phone(t, "", "login", "--pin", "13579")
	if code != 1 || !strings.Contains(out, "error 9003") || !strings.Contains(out, "PIN was wrong") ||
		!strings.Contains(out, "registration was removed") || !strings.Contains(out, "'phone register'") {
		t.Fatalf("last wrong PIN: exit %d\n%s", code, out)
	}
	code, out = w.phone(t, "", "status")
	if code != 0 || !strings.Contains(out, "No registered user") {
		t.Fatalf("status after the lockout: exit %d\n%s", code, out)
	}
}

func TestPhoneSecondDeviceNamesThePolicyAndTheCommand(t *testing.T) {
	w := newWorld(t)
	var code int
	var out string
	for i, data := range []string{w.data, t.TempDir()} {
		w.data = data
		code, out = w.phone(t, "", "register", "--user", w.ts.DemoUser, "--password", w.ts.DemoPassword, "--pin", "24680")
		mustOK(t, code, out, "register")
		code, out = w.phone(t, "", "enroll", "--pin", "24680")
		if i == 0 {
			mustOK(t, code, out, "enroll on the first phone")
		}
	}
	// The second phone is refused under the default policy (single).
	if code != 1 || !strings.Contains(out, "error 9018") || !strings.Contains(out, "re-enrollment policy") ||
		!strings.Contains(out, "tokenserver user reset-devices --user") {
		t.Fatalf("second phone: exit %d\n%s", code, out)
	}
}

// loginWatcher is the phone's output; when the phone prints the login page
// address it logs in there as a browser would and pastes the redirect
// address on the phone's standard input.
type loginWatcher struct {
	mu        sync.Mutex
	buf       strings.Builder
	done      bool
	user, pw  string
	stdin     *io.PipeWriter
	loginErrs chan error
}

func (l *loginWatcher) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(b)
	s := l.buf.String()
	if i := strings.Index(s, "Login page: "); i >= 0 && !l.done && strings.Contains(s[i:], "\n") {
		l.done = true
		u := strings.TrimSpace(strings.SplitN(s[i+len("Login page: "):], "\n", 2)[0])
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cb, err := webLogin(ctx, u, l.user, l.pw)
			l.loginErrs <- err
			_, _ = io.WriteString(l.stdin, cb+"\n")
		}()
	}
	return len(b), nil
}

// After a registration done in a browser (--browser) the phone names the
// user, not only the profile id (issue 16): the core kept the user id the
// server's token answer named.
func TestPhoneBrowserRegistrationShowsTheUserName(t *testing.T) {
	w := newWorld(t)
	pr, pw := io.Pipe()
	lw := &loginWatcher{user: w.ts.DemoUser, pw: w.ts.DemoPassword, stdin: pw, loginErrs: make(chan error, 1)}
	code := run([]string{"register", "--browser", "--pin", "24680", "--data", w.data, "--server", w.ts.URL}, pr, lw, lw)
	pw.Close()
	lw.mu.Lock()
	out := lw.buf.String()
	lw.mu.Unlock()
	mustOK(t, code, out, "register --browser")
	if err := <-lw.loginErrs; err != nil {
		t.Fatalf("browser login: %v", err)
	}
	if !strings.Contains(out, "Registered: "+w.ts.DemoUser+" (profile ") {
		t.Fatalf("register --browser output without the user name: %s", out)
	}
	code, out = w.phone(t, "", "status")
	mustOK(t, code, out, "status")
	if !strings.Contains(out, "User "+w.ts.DemoUser+" (profile ") {
		t.Fatalf("status without the user name: %s", out)
	}
}
