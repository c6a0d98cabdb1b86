package dispatch

import (
	"encoding/json"
	"os"
	"sort"
	"testing"
	"time"
	"unicode/utf8"
)

// TestFastPathsEarnTheirPlace keeps the dispatcher's hand-written JSON codecs
// honest: each must stay clearly faster (or allocate less) than the code it
// replaces, measured here side by side (alternating, median of 5 runs), or it
// should be deleted in favour of that code. Each codec also stays behind its
// equivalence test: FuzzParseRequest (scanner = parseRequestRef) and
// FuzzAppendString (escaper = encoding/json's decoding). It runs when
// OMA_FASTPATH_BENCH=1 (scripts/test-go.sh sets it in a step without -race,
// whose instrumentation would distort the comparison).
func TestFastPathsEarnTheirPlace(t *testing.T) {
	if os.Getenv("OMA_FASTPATH_BENCH") != "1" {
		t.Skip("set OMA_FASTPATH_BENCH=1 to measure the fast paths (scripts/test-go.sh does)")
	}
	if raceEnabled {
		t.Skip("the race detector distorts the comparison")
	}
	type pair struct {
		name      string
		fast, ref func()
		minRatio  float64 // time of ref over time of fast; 0: report only
	}
	parse := func(p func(string, int) (request, *Error), req string) func() {
		return func() {
			if _, err := p(req, DefaultMaxRequestSize); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf []byte
	escape := func(marshal bool) func() {
		return func() {
			if marshal {
				enc, _ := json.Marshal(benchString)
				buf = append(buf[:0], enc...)
			} else {
				buf = appendString(buf[:0], benchString)
			}
		}
	}
	for _, p := range []pair{
		{"request scanner (no-op ping)", parse(parseRequest, benchPing), parse(parseRequestRef, benchPing), 1.2},
		{"request scanner (call with params)", parse(parseRequest, benchTypedReq), parse(parseRequestRef, benchTypedReq), 0},
		{"string escaper (access token)", escape(false), escape(true), 1.1},
	} {
		// Alternate the two in short rounds so a slow window of the machine
		// hits both; compare the medians.
		var fastNs, refNs []float64
		for i := 0; i < 9; i++ {
			fastNs = append(fastNs, timePerOp(p.fast))
			refNs = append(refNs, timePerOp(p.ref))
		}
		fastAllocs, refAllocs := testing.AllocsPerRun(100, p.fast), testing.AllocsPerRun(100, p.ref)
		fm, rm := median(fastNs), median(refNs)
		ratio := rm / fm
		t.Logf("%s: fast %.0f ns/op %.0f allocs, reference %.0f ns/op %.0f allocs: %.2fx", p.name, fm, fastAllocs, rm, refAllocs, ratio)
		if p.minRatio > 0 && (fastAllocs > refAllocs || (ratio < p.minRatio && fastAllocs == refAllocs)) {
			t.Errorf("%s no longer earns its place (%.2fx, %.0f vs %.0f allocs): delete it and use the reference", p.name, ratio, fastAllocs, refAllocs)
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

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// FuzzAppendString: the escaper writes valid JSON that decodes to the input
// (invalid UTF-8 to what encoding/json makes of it).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\"b\\c\n\r\t\u0001<>&é", "\u2028\u2029", "a\xffb", benchString} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := appendString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q: invalid JSON %q: %v", s, out, err)
		}
		want := s
		if !utf8.ValidString(s) {
			enc, _ := json.Marshal(s)
			_ = json.Unmarshal(enc, &want)
		}
		if back != want {
			t.Fatalf("%q: decodes to %q", s, back)
		}
	})
}
