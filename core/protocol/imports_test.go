package protocol

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoSDKImports: the wire protocol is shared by the SDK core and the Token
// Server, so it may import nothing of either (no core/dispatch, core/client,
// ... and no server/): only the standard library, third-party modules and its
// own sub-packages. It asks the go tool for the real dependency graph.
func TestNoSDKImports(t *testing.T) {
	const module = "github.com/openmobileauth/oma/"
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	self := module + "core/protocol"
	n := 0
	for _, p := range strings.Fields(string(out)) {
		if !strings.HasPrefix(p, module) {
			continue
		}
		n++
		if p != self && !strings.HasPrefix(p, self+"/") {
			t.Errorf("core/protocol depends on %s", p)
		}
	}
	if n == 0 {
		t.Fatal("go list -deps did not list core/protocol itself")
	}
}
