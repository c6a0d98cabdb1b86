package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuTime is the user+system CPU time this process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAvg is the 1-minute load average (Linux), "?" elsewhere: a busy machine
// makes throughput figures meaningless, so the report shows it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// procStat returns the fields of /proc/PID/stat after the parenthesised
// command name (f[0] is the state, field 3; f[1] the parent, field 4; f[11]
// and f[12] utime and stime, fields 14 and 15), nil if unknown.
func procStat(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// procCPU is the user+system CPU time of process pid (Linux /proc), 0 if unknown.
func procCPU(pid int) time.Duration {
	f := procStat(pid)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks
}

// clockTicks is USER_HZ, 100 on every Linux this runs on.
const clockTicks = 100

// postgresCPU sums the CPU time of the PostgreSQL cluster named by
// OMA_TEST_POSTGRES_PIDFILE (scripts/pg.sh sets it): the postmaster and its
// children. Without it, every process named "postgres" on the machine counts.
func postgresCPU() time.Duration {
	master := 0
	if f := os.Getenv("OMA_TEST_POSTGRES_PIDFILE"); f != "" {
		if b, err := os.ReadFile(f); err == nil {
			master, _ = strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
		}
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var sum time.Duration
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if master > 0 {
			if pid == master || procPPID(pid) == master {
				sum += procCPU(pid)
			}
			continue
		}
		c, err := os.ReadFile("/proc/" + e.Name() + "/comm")
		if err == nil && strings.TrimSpace(string(c)) == "postgres" {
			sum += procCPU(pid)
		}
	}
	return sum
}

// procPPID is the parent of pid (0 if unknown).
func procPPID(pid int) int {
	f := procStat(pid)
	if len(f) < 2 {
		return 0
	}
	p, _ := strconv.Atoi(f[1])
	return p
}
