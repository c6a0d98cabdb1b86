package main

import (
	"io"
	"runtime/debug"
	"testing"
)

func TestApplyGOGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	if err := applyGOGC("250"); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got != 250 {
		t.Errorf("GC percent after --gogc 250 = %d", got)
	}
	if err := applyGOGC("off"); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got != -1 {
		t.Errorf("GC percent after --gogc off = %d", got)
	}
	for _, bad := range []string{"", "0", "-5", "abc", "1e3"} {
		if err := applyGOGC(bad); err == nil {
			t.Errorf("--gogc %q accepted", bad)
		}
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("a refused value changed the GC percent to %d", got)
	}
}

func TestGOGCDefault(t *testing.T) {
	t.Setenv("GOGC", "")
	if got := gogcDefault(); got != "400" {
		t.Errorf("default = %q", got)
	}
	t.Setenv("GOGC", "150")
	if got := gogcDefault(); got != "150" {
		t.Errorf("with GOGC=150: %q", got)
	}
}

func TestServeRefusesBadGOGC(t *testing.T) {
	if code := run(t.Context(), []string{"serve", "--gogc", "lots", "--store", "sqlite::memory:"}, io.Discard, io.Discard); code == 0 {
		t.Error("serve --gogc lots exited 0")
	}
}
