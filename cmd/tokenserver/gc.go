package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// defaultGOGC is the garbage collector's target percentage for serve unless
// --gogc or the GOGC environment variable says otherwise. The server's live
// heap is small (a few MiB: caches, connection buffers), so collecting at 4x
// instead of 2x the live heap costs little memory and halves the number of
// GC cycles; in cmd/loadgen's profile GC was 5-8% of the server's CPU at 100.
const defaultGOGC = 400

// gogcDefault is the --gogc default: GOGC from the environment when set (the
// runtime already applied it), defaultGOGC otherwise.
func gogcDefault() string {
	if v, ok := os.LookupEnv("GOGC"); ok && v != "" {
		return v
	}
	return strconv.Itoa(defaultGOGC)
}

// applyGOGC sets the GC target percentage: a positive integer, or "off"
// (only sensible together with a GOMEMLIMIT).
func applyGOGC(v string) error {
	if strings.EqualFold(v, "off") {
		debug.SetGCPercent(-1)
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 100000 {
		return fmt.Errorf("--gogc must be a positive integer percentage or off, not %q", v)
	}
	debug.SetGCPercent(n)
	return nil
}
