package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"

	"github.com/openmobileauth/oma/core/device"
	"github.com/tidwall/gjson"
)

// TestControlScriptsTheSoftBiometric: the scripted outcomes are what the next
// prompts play; availability and a changed enrollment reach the biometric.
func TestControlScriptsTheSoftBiometric(t *testing.T) {
	bio := device.NewSoftBiometric(nil)
	if _, err := bio.GenerateUserVerifiedKey("k"); err != nil {
		t.Fatal(err)
	}
	ans, ok := control([]byte(`{"jsonrpc":"2.0","id":4,"method":"bridgehost.biometric","params":{"script":["fail","cancel"]}}`), bio)
	if !ok || gjson.Get(ans, "id").Int() != 4 || !gjson.Get(ans, "result.prompts").IsArray() {
		t.Fatalf("answer %s (handled %v)", ans, ok)
	}
	dg := sha256.Sum256([]byte("challenge"))
	for _, want := range []error{device.ErrUVFailed, device.ErrUVCanceled, nil} {
		_, err := bio.SignWithUserVerification("k", dg[:], "Log in")
		if !errors.Is(device.UserVerificationError(err), want) && !(want == nil && err == nil) {
			t.Fatalf("want %v, got %v", want, err)
		}
	}
	ans, _ = control([]byte(`{"jsonrpc":"2.0","id":5,"method":"bridgehost.biometric","params":{}}`), bio)
	if got := gjson.Get(ans, "result.prompts.#").Int(); got != 3 {
		t.Fatalf("want 3 prompts reported, got %s", ans)
	}
	control([]byte(`{"jsonrpc":"2.0","id":6,"method":"bridgehost.biometric","params":{"available":false}}`), bio)
	if bio.BiometricAvailable() != device.UVNotAvailable {
		t.Fatal("available:false did not reach the biometric")
	}
	control([]byte(`{"jsonrpc":"2.0","id":7,"method":"bridgehost.biometric","params":{"available":true,"changeEnrollment":true}}`), bio)
	if _, err := bio.SignWithUserVerification("k", dg[:], "Log in"); !errors.Is(device.UserVerificationError(err), device.ErrUVKeyInvalidated) {
		t.Fatalf("changeEnrollment: want the key invalidated, got %v", err)
	}
}

// TestControlRefusesBadRequests: bad control requests get 8009 with their id
// and change nothing; other lines are left to the core.
func TestControlRefusesBadRequests(t *testing.T) {
	bio := device.NewSoftBiometric(nil)
	for i, line := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"bridgehost.biometric","params":{"script":["maybe"]}}`,
		`{"jsonrpc":"2.0","id":1,"method":"bridgehost.biometric","params":{"script":"fail"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"bridgehost.biometric","params":{"other":1}}`,
		`{"jsonrpc":"2.0","id":1,"method":"bridgehost.reboot"}`,
	} {
		ans, ok := control([]byte(line), bio)
		if !ok || gjson.Get(ans, "error.code").Int() != 8009 || gjson.Get(ans, "id").Int() != 1 {
			t.Fatalf("%d: %s answered %s (handled %v)", i, line, ans, ok)
		}
	}
	if ans, _ := control([]byte(`{"jsonrpc":"2.0","id":2,"method":"bridgehost.biometric"}`), nil); gjson.Get(ans, "error.code").Int() != 8009 {
		t.Fatalf("without a pure-Go biometric: %s", ans)
	}
	for _, line := range []string{
		`{"jsonrpc":"2.0","id":3,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":3,"method":"submitPin","params":{"flow":"Create","pin":"bridgehost.biometric"}}`,
		`not json "bridgehost.biometric`,
	} {
		if _, ok := control([]byte(line), bio); ok {
			t.Fatalf("%s was taken as a control request", line)
		}
	}
	if _, err := bio.SignWithUserVerification("none", make([]byte, 32), "x"); err == nil {
		t.Fatal("signing with a missing key succeeded")
	}
}

// TestControlThroughTheHost: the real command answers control lines itself and
// everything else through the core, in one stream.
func TestControlThroughTheHost(t *testing.T) {
	h := startHost(t, "-log-level", "disabled")
	fmt.Fprintln(h.stdin, `{"jsonrpc":"2.0","id":1,"method":"bridgehost.biometric","params":{"script":["lockout"]}}`)
	fmt.Fprintln(h.stdin, `{"jsonrpc":"2.0","id":2,"method":"bridgehost.biometric","params":{"script":["sometimes"]}}`)
	fmt.Fprintln(h.stdin, `{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	h.stdin.Close()
	lines := h.readAll(t)
	h.wait(t)
	byID := map[int64]string{}
	for _, l := range lines {
		byID[gjson.Get(l, "id").Int()] = l
	}
	if len(lines) != 3 || !gjson.Get(byID[1], "result.prompts").IsArray() || gjson.Get(byID[2], "error.code").Int() != 8009 ||
		!gjson.Get(byID[3], "result.pong").Bool() {
		t.Fatalf("answers: %q", lines)
	}
}
