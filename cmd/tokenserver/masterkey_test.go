package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serveOnce starts serve with args, waits for /healthz and stops it; it
// returns the exit status and stdout, or the early exit's stderr.
func serveOnce(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--listen", addr, "--admin-listen", "off", "--log-level", "warn"}, args...), &out, &errb)
	}()
	for i := 0; i < 200; i++ {
		select {
		case code := <-done:
			return code, out.String(), errb.String()
		default:
		}
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		return code, out.String(), errb.String()
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	return -1, "", ""
}

// Issue 11, item 11: serve takes the master key from --master-key-file or
// OMA_MASTER_KEY; without one a SQLite store gets a development key next to
// the database (0600, announced); a store whose CA key is encrypted refuses
// to start without the key, with a clear error.
func TestServeMasterKey(t *testing.T) {
	dir := t.TempDir()
	store := "sqlite:" + filepath.Join(dir, "oma.db")
	code, out, errs := serveOnce(t, "--store", store)
	if code != 0 || !strings.Contains(out, "development master key generated") {
		t.Fatalf("first start: exit %d\n%s\n%s", code, out, errs)
	}
	st, err := os.Stat(filepath.Join(dir, devMasterKeyName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("dev key file: %v %v", st, err)
	}
	if code, out, _ := serveOnce(t, "--store", store); code != 0 || !strings.Contains(out, "using the development master key") {
		t.Fatalf("second start: exit %d\n%s", code, out)
	}
	// Without the key the encrypted CA cannot be opened: a clear error.
	if err := os.Rename(filepath.Join(dir, devMasterKeyName), filepath.Join(dir, "moved.key")); err != nil {
		t.Fatal(err)
	}
	other := make([]byte, 32)
	_, _ = rand.Read(other)
	t.Setenv("OMA_MASTER_KEY", base64.StdEncoding.EncodeToString(other))
	if code, _, errs := serveOnce(t, "--store", store); code != 1 || !strings.Contains(errs, "master key does not decrypt") {
		t.Fatalf("wrong key: exit %d\n%s", code, errs)
	}
	// The right key by file works; a malformed one is refused.
	if code, out, errs := serveOnce(t, "--store", store, "--master-key-file", filepath.Join(dir, "moved.key")); code != 0 || strings.Contains(out, "development master key") {
		t.Fatalf("key file: exit %d\n%s\n%s", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.key")
	_ = os.WriteFile(bad, []byte("not a key"), 0o600)
	if code, _, errs := serveOnce(t, "--store", store, "--master-key-file", bad); code != 1 || !strings.Contains(errs, "32 random bytes") {
		t.Fatalf("bad key file: exit %d\n%s", code, errs)
	}
	_ = io.Discard
}

// A store whose CA key is encrypted and no key anywhere: serve refuses.
func TestServeEncryptedStoreNeedsKey(t *testing.T) {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	dir := t.TempDir()
	store := "sqlite:" + filepath.Join(dir, "oma.db")
	t.Setenv("OMA_MASTER_KEY", base64.StdEncoding.EncodeToString(k))
	if code, _, errs := serveOnce(t, "--store", store); code != 0 {
		t.Fatalf("start with OMA_MASTER_KEY: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, devMasterKeyName)); err == nil {
		t.Fatal("a development key was made although OMA_MASTER_KEY was set")
	}
	t.Setenv("OMA_MASTER_KEY", "")
	// A file store would get a development key (a different one): refused too.
	if code, _, errs := serveOnce(t, "--store", store); code != 1 || !strings.Contains(errs, "master key") {
		t.Fatalf("without the key: exit %d\n%s", code, errs)
	}
}
