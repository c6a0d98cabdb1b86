package fastpath

import (
	"os"
	"sort"
	"testing"
	"time"
)

// Pair is a fast path and the general code it replaces, each one call.
type Pair struct {
	Name      string
	Fast, Ref func()
	// MinRatio is the least time of Ref over time of Fast the fast path
	// must keep (when it does not allocate less); 0: report only.
	MinRatio float64
}

// Enabled reports whether Earn measures (OMA_FASTPATH_BENCH=1, no race
// detector, whose instrumentation distorts the comparison).
func Enabled() bool { return os.Getenv("OMA_FASTPATH_BENCH") == "1" && !raceEnabled }

// Earn measures every pair and fails t for each fast path that allocates
// more than its reference, or is slower than MinRatio without allocating
// less. It skips t unless Enabled.
func Earn(t *testing.T, pairs []Pair) {
	t.Helper()
	if !Enabled() {
		t.Skip("set OMA_FASTPATH_BENCH=1 (without -race) to measure the fast paths (scripts/test-go.sh does)")
	}
	compare(t, pairs)
}

// reporter is what compare needs of a *testing.T.
type reporter interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
}

func compare(t reporter, pairs []Pair) {
	t.Helper()
	for _, p := range pairs {
		// Alternate the two in short rounds so a slow window of the machine
		// hits both; compare the medians.
		var fastNs, refNs []float64
		for i := 0; i < 9; i++ {
			fastNs = append(fastNs, timePerOp(p.Fast))
			refNs = append(refNs, timePerOp(p.Ref))
		}
		fastAllocs, refAllocs := testing.AllocsPerRun(100, p.Fast), testing.AllocsPerRun(100, p.Ref)
		fm, rm := median(fastNs), median(refNs)
		ratio := rm / fm
		t.Logf("%s: fast %.0f ns/op %.0f allocs, reference %.0f ns/op %.0f allocs: %.2fx", p.Name, fm, fastAllocs, rm, refAllocs, ratio)
		if p.MinRatio > 0 && (fastAllocs > refAllocs || (ratio < p.MinRatio && fastAllocs == refAllocs)) {
			t.Errorf("%s no longer earns its place (%.2fx, %.0f vs %.0f allocs): delete it and use the reference", p.Name, ratio, fastAllocs, refAllocs)
		}
	}
}

// timePerOp runs f for about 20 ms and returns its time per call in ns.
func timePerOp(f func()) float64 {
	n := 0
	start := time.Now()
	for time.Since(start) < 20*time.Millisecond {
		for i := 0; i < 100; i++ {
			f()
		}
		n += 100
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// Median is the median of xs (not empty), for measurements Earn does not
// make itself (the load generator's CPU time per transaction).
func Median(xs []float64) float64 { return median(xs) }

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
