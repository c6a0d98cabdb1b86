package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestAdminCommands(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "d", "oma.db")
	if c, out, e := runCmd(t, "api-client", "create", "--store", st, "--id", "shop", "--callback", "https://shop.example/cb"); c != 0 || !strings.Contains(out, "secret: ") {
		t.Fatalf("api-client create: %d %q %q", c, out, e)
	}
	if c, _, _ := runCmd(t, "api-client", "create", "--store", st, "--id", "shop"); c != 1 {
		t.Fatalf("duplicate api-client create exit %d, want 1", c)
	}
	if c, _, _ := runCmd(t, "api-client", "create", "--store", st, "--id", "x", "--callback", "ftp://nope"); c != 1 {
		t.Fatalf("bad callback accepted: %d", c)
	}
	c, out, _ := runCmd(t, "api-client", "list", "--store", st)
	if c != 0 || !strings.Contains(out, "shop") || !strings.Contains(out, "callback_key_id=k") {
		t.Fatalf("api-client list: %d %q", c, out)
	}
	if c, out, e := runCmd(t, "otp-type", "create", "--store", st, "--name", "pay", "--expiry", "90s"); c != 0 || !strings.Contains(out, "1m30s") {
		t.Fatalf("otp-type create: %d %q %q", c, out, e)
	}
	if c, _, _ := runCmd(t, "user", "create", "--store", st, "--username", "alice", "--password", "correct horse"); c != 0 {
		t.Fatalf("user create: %d", c)
	}
	if c, _, _ := runCmd(t, "user", "create", "--store", st, "--username", "bob", "--password", "short"); c != 1 {
		t.Fatal("short password accepted")
	}
	if c, _, _ := runCmd(t, "policy", "set", "override", "--store", st); c != 0 {
		t.Fatal("policy set failed")
	}
	if c, _, _ := runCmd(t, "policy", "set", "sometimes", "--store", st); c != 1 {
		t.Fatal("bad policy accepted")
	}
	if c, _, _ := runCmd(t, "frobnicate"); c != 2 {
		t.Fatal("unknown command not a usage error")
	}
	if c, _, _ := runCmd(t, "serve", "--bogus"); c != 2 {
		t.Fatal("bad flag not a usage error")
	}
}

func TestServeSeedsAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", addr, "--store", "sqlite:" + filepath.Join(dir, "oma.db"), "--log-level", "warn"}, &out, io.Discard)
	}()
	var resp *http.Response
	for i := 0; i < 100; i++ {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not come up: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	secret, err := os.ReadFile(filepath.Join(dir, "demo-rp.secret"))
	if err != nil || len(strings.TrimSpace(string(secret))) < 20 {
		t.Fatalf("secret file: %q %v", secret, err)
	}
	cancel() // as SIGTERM does through signal.NotifyContext
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exit %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
	for _, want := range []string{"demo-rp", "demo.secret", "demo / demo1234", "demo OTP type"} {
		if want == "demo.secret" {
			want = "demo-rp.secret"
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), strings.TrimSpace(string(secret))) {
		t.Error("banner prints the secret itself")
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		c, out, _ := runCmd(t, arg)
		if c != 0 || !strings.HasPrefix(out, "tokenserver ") || !strings.Contains(out, " go1.") {
			t.Fatalf("%s: %d %q", arg, c, out)
		}
	}
}
