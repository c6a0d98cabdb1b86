package main

import (
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// defaultMemoryLimit is serve's soft memory limit (runtime/debug.SetMemoryLimit)
// unless --memory-limit, OMA_MEMORY_LIMIT or GOMEMLIMIT says otherwise. The
// server's steady state is tens of MiB; argon2 checks take 19 MiB each and
// are bounded by --hash-concurrency (8 by default, about 152 MiB), so 512 MiB
// leaves room while making the collector work harder well before a small
// container's limit is reached (issue 11, item 3: a limit rather than GOGC).
const defaultMemoryLimit = "512MiB"

// memoryLimitDefault is the --memory-limit default: GOMEMLIMIT when set (the
// runtime already applied it), defaultMemoryLimit otherwise.
func memoryLimitDefault() string {
	if v, ok := os.LookupEnv("GOMEMLIMIT"); ok && v != "" {
		return v
	}
	return defaultMemoryLimit
}

// parseMemoryLimit reads a byte count with an optional B, KiB, MiB, GiB or
// TiB suffix (GOMEMLIMIT's syntax), or "off" (no limit: math.MaxInt64).
func parseMemoryLimit(v string) (int64, error) {
	s := strings.TrimSpace(v)
	if strings.EqualFold(s, "off") {
		return math.MaxInt64, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("--memory-limit must be a positive size such as 512MiB or 2GiB, or off; not %q", v)
	}
	if n*mult < 64<<20 {
		return 0, fmt.Errorf("--memory-limit %q is below 64MiB", v)
	}
	return n * mult, nil
}

// applyMemoryLimit sets the runtime's soft memory limit.
func applyMemoryLimit(v string) (int64, error) {
	n, err := parseMemoryLimit(v)
	if err != nil {
		return 0, err
	}
	debug.SetMemoryLimit(n)
	return n, nil
}
