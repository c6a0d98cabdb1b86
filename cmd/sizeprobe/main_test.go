package main

import (
	"go/build"
	"strings"
	"testing"
)

// The size budget is only meaningful while the bridge stays a mobile client:
// it must never link the Token Server.
func TestBridgeDoesNotImportServer(t *testing.T) {
	seen := map[string]bool{}
	var walk func(path string)
	walk = func(path string) {
		if seen[path] || !strings.HasPrefix(path, "github.com/openmobileauth/oma") {
			return
		}
		seen[path] = true
		if strings.HasPrefix(path, "github.com/openmobileauth/oma/server") {
			t.Errorf("bridge depends on %s", path)
			return
		}
		p, err := build.Import(path, ".", 0)
		if err != nil {
			t.Fatalf("import %s: %v", path, err)
		}
		for _, imp := range p.Imports {
			walk(imp)
		}
	}
	walk("github.com/openmobileauth/oma/bridge")
	if len(seen) < 2 {
		t.Fatalf("walked only %d packages: the import graph was not read", len(seen))
	}
}
