package main

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/openmobileauth/oma/server/loadgen"
)

// meter measures one run: the load generator's report plus the CPU time the
// processes involved used during it.
type meter struct {
	pgOn      bool // count the PostgreSQL cluster's CPU
	serverPid int  // tokenserver subprocess (0: none)
	inProcess bool // the server runs inside this process
}

// measured is one measured run.
type measured struct {
	rep                *loadgen.Report
	cpu, srvCPU, pgCPU time.Duration
	load0, load1       string
	inProcess, pgOn    bool
	hasServer          bool
}

func (m *meter) srvCPUNow() time.Duration {
	if m.serverPid != 0 {
		return procCPU(m.serverPid)
	}
	return 0
}

func (m *meter) pgCPUNow() time.Duration {
	if m.pgOn {
		return postgresCPU()
	}
	return 0
}

func (m *meter) measure(ctx context.Context, rp *loadgen.RP, devs []*loadgen.Device, plan loadgen.Plan) (*measured, error) {
	if plan.Warmup > 0 {
		w := plan
		w.Duration, w.Count, w.Warmup = plan.Warmup, 0, 0
		if _, err := loadgen.Run(ctx, rp, devs, w); err != nil {
			return nil, err
		}
		plan.Warmup = 0
	}
	cpu0, load0, srv0, pg0 := cpuTime(), loadAvg(), m.srvCPUNow(), m.pgCPUNow()
	rep, err := loadgen.Run(ctx, rp, devs, plan)
	if err != nil {
		return nil, err
	}
	return &measured{rep: rep, cpu: cpuTime() - cpu0, srvCPU: m.srvCPUNow() - srv0, pgCPU: m.pgCPUNow() - pg0,
		load0: load0, load1: loadAvg(), inProcess: m.inProcess, pgOn: m.pgOn, hasServer: m.serverPid != 0}, nil
}

func (r *measured) perTx(d time.Duration) float64 {
	return float64(d) / 1e6 / float64(max(r.rep.OK+r.rep.Errors, 1))
}

func (r *measured) total() time.Duration { return r.cpu + r.srvCPU + r.pgCPU }

func (r *measured) ceiling() float64 {
	return float64(runtime.NumCPU()) * 1000 / max(r.perTx(r.total()), 1e-9)
}

func (r *measured) text() string {
	var b strings.Builder
	b.WriteString(r.rep.String())
	fmt.Fprintf(&b, "CPU: loadgen process %.2fs (%.3f ms/transaction%s)", r.cpu.Seconds(), r.perTx(r.cpu),
		map[bool]string{true: ", in-process server included", false: ""}[r.inProcess])
	if r.hasServer {
		fmt.Fprintf(&b, ", tokenserver %.2fs (%.3f ms/transaction)", r.srvCPU.Seconds(), r.perTx(r.srvCPU))
	}
	if r.pgOn {
		fmt.Fprintf(&b, ", postgres %.2fs (%.3f ms/transaction)", r.pgCPU.Seconds(), r.perTx(r.pgCPU))
	}
	if r.inProcess || r.hasServer {
		fmt.Fprintf(&b, "\nCPU per complete transaction, all processes: %.3f ms => CPU-bound ceiling on %d cores: %.0f transactions/s\n",
			r.perTx(r.total()), runtime.NumCPU(), r.ceiling())
	} else {
		b.WriteString(" (the server's CPU is not measured with --url)\n")
	}
	fmt.Fprintf(&b, "load average before %s, after %s (throughput and latency only mean something on an otherwise idle machine)\n", r.load0, r.load1)
	return b.String()
}

func (r *measured) json() map[string]any {
	msf := func(d time.Duration) float64 { return float64(d) / 1e6 }
	p := r.rep
	j := map[string]any{
		"model": p.Model, "rate": p.Rate, "workers": p.Workers, "elapsed_s": p.Elapsed.Seconds(),
		"ok": p.OK, "errors": p.Errors, "error_kinds": p.ErrorKind, "tps": p.TPS,
		"p50_ms": msf(p.P50), "p90_ms": msf(p.P90), "p99_ms": msf(p.P99), "max_ms": msf(p.Max), "mean_ms": msf(p.Mean),
		"process_cpu_s": r.cpu.Seconds(), "loadavg_before": r.load0, "loadavg_after": r.load1,
	}
	if r.inProcess || r.hasServer {
		j["cpu_ms_per_tx"], j["cpu_bound_ceiling_tps"] = r.perTx(r.total()), r.ceiling()
	}
	if r.hasServer {
		j["server_process_cpu_s"] = r.srvCPU.Seconds()
	}
	if r.pgOn {
		j["postgres_cpu_s"] = r.pgCPU.Seconds()
	}
	return j
}

// median returns a run whose every figure is the median of that figure over
// runs (throughput, each percentile and each CPU time taken separately).
func median(runs []*measured) *measured {
	pick := func(f func(*measured) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		sort.Float64s(v)
		if n := len(v); n%2 == 1 {
			return v[n/2]
		} else {
			return (v[n/2-1] + v[n/2]) / 2
		}
	}
	dur := func(f func(*measured) time.Duration) time.Duration {
		return time.Duration(pick(func(r *measured) float64 { return float64(f(r)) }))
	}
	first := runs[0]
	rep := *first.rep
	rep.ErrorKind = map[string]int{}
	for _, r := range runs {
		for k, v := range r.rep.ErrorKind {
			rep.ErrorKind[k] += v
		}
	}
	rep.OK = int(pick(func(r *measured) float64 { return float64(r.rep.OK) }))
	rep.Errors = int(pick(func(r *measured) float64 { return float64(r.rep.Errors) }))
	rep.TPS = pick(func(r *measured) float64 { return r.rep.TPS })
	rep.Elapsed = dur(func(r *measured) time.Duration { return r.rep.Elapsed })
	rep.P50 = dur(func(r *measured) time.Duration { return r.rep.P50 })
	rep.P90 = dur(func(r *measured) time.Duration { return r.rep.P90 })
	rep.P99 = dur(func(r *measured) time.Duration { return r.rep.P99 })
	rep.Max = dur(func(r *measured) time.Duration { return r.rep.Max })
	rep.Mean = dur(func(r *measured) time.Duration { return r.rep.Mean })
	// CPU figures: the medians of the per-transaction costs, scaled back to the
	// median count so that perTx reports the median.
	n := time.Duration(max(rep.OK+rep.Errors, 1))
	per := func(f func(*measured) time.Duration) time.Duration {
		return time.Duration(pick(func(r *measured) float64 { return r.perTx(f(r)) * 1e6 })) * n
	}
	return &measured{rep: &rep,
		cpu:    per(func(r *measured) time.Duration { return r.cpu }),
		srvCPU: per(func(r *measured) time.Duration { return r.srvCPU }),
		pgCPU:  per(func(r *measured) time.Duration { return r.pgCPU }),
		load0:  first.load0, load1: runs[len(runs)-1].load1,
		inProcess: first.inProcess, pgOn: first.pgOn, hasServer: first.hasServer}
}
