package fastpath

import (
	"fmt"
	"strings"
	"testing"
)

type recorder struct{ errors []string }

func (r *recorder) Helper()                   {}
func (r *recorder) Logf(string, ...any)       {}
func (r *recorder) Errorf(f string, a ...any) { r.errors = append(r.errors, fmt.Sprintf(f, a...)) }

var sink string

// The check refuses a "fast path" that allocates more than the code it
// replaces and accepts one that allocates less (allocation counts decide
// both, so the outcome does not depend on the machine's speed).
func TestCompareJudges(t *testing.T) {
	cheap := func() { sink = "x" }
	costly := func() { sink = strings.Repeat("x", 64) }
	var good, bad, reportOnly recorder
	compare(&good, []Pair{{"cheap over costly", cheap, costly, 1.5}})
	compare(&bad, []Pair{{"costly over cheap", costly, cheap, 1.5}})
	compare(&reportOnly, []Pair{{"costly over cheap, report only", costly, cheap, 0}})
	if len(good.errors) != 0 {
		t.Fatalf("a faster, lighter fast path refused: %v", good.errors)
	}
	if len(bad.errors) != 1 || !strings.Contains(bad.errors[0], "no longer earns its place") {
		t.Fatalf("a heavier fast path accepted: %v", bad.errors)
	}
	if len(reportOnly.errors) != 0 {
		t.Fatalf("report-only pair failed: %v", reportOnly.errors)
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{5, 1, 9, 3, 7}); m != 5 {
		t.Fatalf("median = %v", m)
	}
}
