package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoSDKPackages: the Token Server is built without the SDK core's
// dispatcher and feature packages; it shares only core/protocol (the wire
// format), core/redact (the redacting logger) and the other neutral core
// packages listed here.
func TestNoSDKPackages(t *testing.T) {
	const core = "github.com/openmobileauth/oma/core/"
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	allowed := []string{"protocol", "redact"}
	for _, p := range strings.Fields(string(out)) {
		rest, ok := strings.CutPrefix(p, core)
		if !ok {
			continue
		}
		top, _, _ := strings.Cut(rest, "/")
		ok = false
		for _, a := range allowed {
			ok = ok || top == a
		}
		if !ok {
			t.Errorf("cmd/tokenserver depends on the SDK package %s", p)
		}
	}
}
