package freeport

import (
	"net"
	"strconv"
	"testing"
)

// Loopback's ports are free, below the ephemeral range, and bindable.
func TestLoopback(t *testing.T) {
	hi := ephemeralLow()
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		addr, err := Loopback()
		if err != nil {
			t.Fatal(err)
		}
		_, p, err := net.SplitHostPort(addr)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(p)
		if n < floor || n >= hi {
			t.Fatalf("port %d outside [%d, %d)", n, floor, hi)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("%s not bindable: %v", addr, err)
		}
		_ = ln.Close()
		seen[addr] = true
	}
	if len(seen) < 40 {
		t.Fatalf("only %d distinct ports in 50 picks", len(seen))
	}
}

// A port in use is skipped: pick is offered the taken port first.
func TestPickSkipsTaken(t *testing.T) {
	taken, err := Loopback()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", taken)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	free, err := Loopback()
	if err != nil {
		t.Fatal(err)
	}
	port := func(a string) int { _, p, _ := net.SplitHostPort(a); n, _ := strconv.Atoi(p); return n }
	seq := []int{port(taken), port(taken), port(free)}
	i := 0
	got, err := pick(func() int { i++; return seq[i-1] })
	if err != nil || got != free || i != 3 {
		t.Fatalf("pick = %s, %v after %d tries; want %s after 3", got, err, i, free)
	}
	if _, err := pick(func() int { return port(taken) }); err == nil {
		t.Fatal("pick returned a port in use")
	}
}
