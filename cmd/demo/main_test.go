package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/internal/testutil"
)

var pageLine = regexp.MustCompile(`Demo page:\s+(http://\S+)`)

// startDemo runs the command until the test ends; it returns the page URL.
func startDemo(t *testing.T, args ...string) (string, *testutil.SyncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &testutil.SyncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, out, out) }()
	stop := func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(20 * time.Second):
			t.Fatal("the demo did not stop")
			return -1
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := pageLine.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, stop
		}
		select {
		case code := <-done:
			t.Fatalf("the demo exited %d:\n%s", code, out)
		case <-time.After(20 * time.Millisecond):
		}
	}
	stop()
	t.Fatalf("the demo did not start:\n%s", out)
	return "", nil, nil
}

func startLogin(t *testing.T, page string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, page+"api/login", strings.NewReader("{}"))
	req.Header.Set("X-Requested-With", "oma-demo")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %d %v %v", resp.StatusCode, m, err)
	}
	return m
}

func TestDemoServesThePageAndTheTokenServerOnOneListener(t *testing.T) {
	data := t.TempDir()
	page, out, stop := startDemo(t, "--listen", "127.0.0.1:0", "--data", data, "--otp-expiry", "7s")
	base := strings.TrimSuffix(page, "/demo/")
	text := out.String()
	for _, want := range []string{
		"go run ./cmd/phone register --user demo --password demo1234 --pin 24680 --server " + base,
		"go run ./cmd/phone enroll --pin 24680",
		"go run ./cmd/phone scan <OTP>",
		"go run ./cmd/phone listen",
		"go run ./cmd/phone pending",
		"Open " + base + "/ in a browser",
		"expires after 7s",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("welcome text lacks %q:\n%s", want, text)
		}
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/demo/" {
		t.Errorf("GET /: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for path, want := range map[string]string{
		"/demo/":        "Log in with your phone",
		"/openapi.yaml": "openapi:",
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d, lacks %q", path, resp.StatusCode, want)
		}
	}
	if ttl := startLogin(t, page)["timeToLiveMs"].(float64); ttl != 7000 {
		t.Errorf("timeToLiveMs %v, want the --otp-expiry 7000", ttl)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}

	// Restarted on the same data without the flag: the seeded 5 minutes again.
	page, out, stop = startDemo(t, "--listen", "127.0.0.1:0", "--data", data)
	if ttl := startLogin(t, page)["timeToLiveMs"].(float64); ttl != 300000 {
		t.Errorf("after a restart timeToLiveMs %v, want 300000", ttl)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestDemoRefusesBadFlagsAndABusyPort(t *testing.T) {
	for _, args := range [][]string{
		{"--otp-expiry", "0s"},
		{"--otp-expiry", "48h"},
		{"--nope"},
		{"extra"},
	} {
		var out bytes.Buffer
		if code := run(context.Background(), args, &out, &out); code != 2 {
			t.Errorf("%v: exit %d\n%s", args, code, out.String())
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out bytes.Buffer
	code := run(context.Background(), []string{"--listen", ln.Addr().String(), "--data", t.TempDir()}, &out, &out)
	if code != 1 || !strings.Contains(out.String(), "is another demo running?") {
		t.Fatalf("busy port: exit %d\n%s", code, out.String())
	}
}
