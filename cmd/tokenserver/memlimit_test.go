package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestApplyMemoryLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	for in, want := range map[string]int64{"512MiB": 512 << 20, "2GiB": 2 << 30, "134217728": 128 << 20, "off": math.MaxInt64, "65536KiB": 64 << 20} {
		if _, err := applyMemoryLimit(in); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if got := debug.SetMemoryLimit(-1); got != want {
			t.Errorf("after %q the limit is %d, want %d", in, got, want)
		}
	}
	debug.SetMemoryLimit(300 << 20)
	for _, bad := range []string{"", "0", "-1MiB", "12MiB", "1.5GiB", "lots", "9999999999TiB"} {
		if _, err := applyMemoryLimit(bad); err == nil {
			t.Errorf("--memory-limit %q accepted", bad)
		}
	}
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("a refused value changed the limit to %d", got)
	}
	if defaultMemoryLimit != "512MiB" {
		t.Fatal("default changed without updating server/README.md")
	}
}
