package main

import "testing"

func TestPprofLoopbackOnly(t *testing.T) {
	for _, bad := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.org:0", "nonsense"} {
		if stop, err := startPprof(bad); err == nil {
			stop()
			t.Errorf("%q accepted", bad)
		}
	}
	stop, err := startPprof("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop()
}
