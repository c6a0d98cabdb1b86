package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/openmobileauth/oma/server/loadgen"
)

type options struct {
	url         string
	apiClient   string
	secret      string
	otpType     string
	user        string
	userPrefix  string
	password    string
	pin         string
	devices     int
	rate        float64
	concurrency int
	duration    time.Duration
	count       int
	warmup      time.Duration
	callback    bool
	bound       bool
	serve       string // "", "sqlite", "postgres", "memory"
	store       string // explicit store URL for --serve
	subprocess  string // path to a tokenserver binary: run the server as a subprocess
	cpuprofile  string
	pprofAddr   string
	jsonOut     bool
	repeat      int
	timeout     time.Duration
	client      string // loadgen.ClientFast or loadgen.ClientStd
}

// defaultGOGC is the load generator's garbage collector target unless GOGC
// is set: its live heap is small, so collecting less often costs little
// memory and leaves more CPU to the server under test (the tokenserver's
// default is the same).
const defaultGOGC = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", "", "base URL of a running server (e.g. http://127.0.0.1:8080); or use --serve")
	fs.StringVar(&o.apiClient, "api-client", "demo-rp", "relying-party API client id")
	fs.StringVar(&o.secret, "secret", os.Getenv("OMA_LOADGEN_SECRET"), "relying-party API client secret (env OMA_LOADGEN_SECRET)")
	fs.StringVar(&o.otpType, "type", "demo", "OTP type of the requests")
	fs.StringVar(&o.user, "user", "demo", "user every device logs in as (needs the \"multiple\" enrollment policy when --devices > 1); ignored with --user-prefix")
	fs.StringVar(&o.userPrefix, "user-prefix", "", "device i logs in as PREFIX<i> (users must exist; --serve creates them)")
	fs.StringVar(&o.password, "password", "demo1234", "password of the users")
	fs.StringVar(&o.pin, "pin", "", "PIN the devices create (default: a 5-digit PIN)")
	fs.IntVar(&o.devices, "devices", 16, "number of enrolled devices to set up")
	fs.Float64Var(&o.rate, "rate", 0, "open model: start this many transactions per second (0 = closed model)")
	fs.IntVar(&o.concurrency, "concurrency", 16, "closed model: number of workers running transactions back to back")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured duration")
	fs.IntVar(&o.count, "count", 0, "stop after this many measured transactions (0 = no limit)")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up before the measured run")
	fs.BoolVar(&o.callback, "callback", false, "give every request a callback URI served by loadgen on 127.0.0.1 (exercises the outbox; with --url the API client must allow it)")
	fs.BoolVar(&o.bound, "bound", true, "bind each request to the answering device's user (user_id); false = QR-login requests")
	fs.StringVar(&o.serve, "serve", "", "start a server in-process on this store: sqlite (a temporary file), memory, or postgres (OMA_TEST_POSTGRES_URL or --store)")
	fs.StringVar(&o.store, "store", "", "store URL for --serve (overrides the default for the chosen store)")
	fs.StringVar(&o.subprocess, "subprocess", "", "with --serve: run this tokenserver binary as a subprocess instead of in-process")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the measured run to this file (in-process mode profiles the server too)")
	fs.StringVar(&o.pprofAddr, "pprof", "", "serve net/http/pprof on this address (e.g. 127.0.0.1:6060) with block and mutex profiling on")
	fs.BoolVar(&o.jsonOut, "json", false, "print the report as JSON")
	fs.IntVar(&o.repeat, "repeat", 1, "measure this many times in a row (same server and devices) and print the median too")
	fs.DurationVar(&o.timeout, "http-timeout", 30*time.Second, "timeout of each HTTP request")
	fs.StringVar(&o.client, "client", loadgen.ClientFast, "HTTP client of the measured transactions: fast (purpose-built HTTP/1.1 keep-alive client) or std (net/http); device set-up always uses net/http")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	switch {
	case o.url == "" && o.serve == "":
		return nil, errors.New("give --url of a running server or --serve sqlite|memory|postgres")
	case o.url != "" && o.serve != "":
		return nil, errors.New("--url and --serve exclude each other")
	case o.serve != "" && o.serve != "sqlite" && o.serve != "memory" && o.serve != "postgres":
		return nil, fmt.Errorf("--serve %q: want sqlite, memory or postgres", o.serve)
	case o.subprocess != "" && o.serve == "":
		return nil, errors.New("--subprocess needs --serve")
	case o.devices < 1:
		return nil, errors.New("--devices must be at least 1")
	case o.rate < 0 || o.concurrency < 1:
		return nil, errors.New("--rate must be >= 0 and --concurrency >= 1")
	case o.repeat < 1 || o.repeat > 100:
		return nil, errors.New("--repeat must be 1..100")
	case o.duration <= 0 && o.count <= 0:
		return nil, errors.New("give a positive --duration or --count")
	case o.client != loadgen.ClientFast && o.client != loadgen.ClientStd:
		return nil, fmt.Errorf("--client %q: want %s or %s", o.client, loadgen.ClientFast, loadgen.ClientStd)
	}
	if o.pin == "" {
		o.pin = "13579"
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// the in-process server's log and a subprocess's output share stderr
	stderr = &lockedWriter{w: stderr}
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.pprofAddr != "" {
		if err := servePprof(o.pprofAddr, stderr); err != nil {
			return err
		}
	}
	// keep every connection for reuse: in the open model many transactions are in
	// flight at once, and closing surplus idle connections would make the load
	// generator measure TCP connection set-up instead of the server
	hc := loadgen.NewHTTPClient(max(o.concurrency, 64)*4+o.devices+int(o.rate), o.timeout)

	var rcv *loadgen.Receiver
	if o.callback {
		if rcv, err = loadgen.NewReceiver(); err != nil {
			return err
		}
		defer rcv.Close()
	}

	base, serverPid := o.url, 0
	if o.serve != "" {
		t, err := startTarget(ctx, o, rcv, stderr)
		if err != nil {
			return err
		}
		defer t.close()
		base, o.apiClient, o.secret, o.otpType = t.url, t.apiClient, t.secret, t.otpType
		o.userPrefix, o.password = t.userPrefix, loadUserPassword
		serverPid = t.pid
	}
	if o.secret == "" {
		return errors.New("--secret (or OMA_LOADGEN_SECRET) is required with --url")
	}
	users := func(int) (string, string) { return o.user, o.password }
	if o.userPrefix != "" {
		users = func(i int) (string, string) { return fmt.Sprintf("%s%d", o.userPrefix, i), o.password }
	}
	t0 := time.Now()
	devs, err := loadgen.SetupDevices(ctx, base, hc, o.devices, 8, users, o.pin)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "loadgen: %d devices enrolled in %s against %s\n", len(devs), time.Since(t0).Round(time.Millisecond), base)

	plan := loadgen.Plan{
		Rate: o.rate, Concurrency: o.concurrency, Duration: o.duration, Count: o.count, Warmup: o.warmup,
		Type: o.otpType, Bound: o.bound && o.userPrefix != "",
	}
	if rcv != nil {
		plan.CallbackURI = rcv.URL
	}
	if o.client == loadgen.ClientFast {
		fc, err := loadgen.NewFastClient(base, o.timeout)
		if err != nil {
			return err
		}
		defer fc.Close()
		plan.Fast = fc
	}
	if o.cpuprofile != "" && o.warmup > 0 {
		// profile only the measured part: warm up first, then profile a run without warm-up
		w := plan
		w.Duration, w.Count, w.Warmup = o.warmup, 0, 0
		if _, err := loadgen.Run(ctx, loadgen.NewRP(base, hc, o.apiClient, o.secret), devs, w); err != nil {
			return err
		}
		plan.Warmup = 0
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	m := &meter{pgOn: o.serve == "postgres" || strings.HasPrefix(o.store, "postgres"), serverPid: serverPid,
		inProcess: o.serve != "" && o.subprocess == ""}
	rp := loadgen.NewRP(base, hc, o.apiClient, o.secret)
	var runs []*measured
	for i := 0; i < o.repeat; i++ {
		if i > 0 {
			plan.Warmup = 0 // warmed up by the runs before
		}
		r, err := m.measure(ctx, rp, devs, plan)
		if err != nil {
			return err
		}
		runs = append(runs, r)
		if !o.jsonOut {
			if o.repeat > 1 {
				fmt.Fprintf(stdout, "--- run %d of %d\n", i+1, o.repeat)
			}
			fmt.Fprint(stdout, r.text())
		}
	}
	if o.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if o.repeat == 1 {
			return enc.Encode(runs[0].json())
		}
		out := map[string]any{"median": median(runs).json()}
		var all []map[string]any
		for _, r := range runs {
			all = append(all, r.json())
		}
		out["runs"] = all
		return enc.Encode(out)
	}
	if o.repeat > 1 {
		fmt.Fprintf(stdout, "--- median of %d runs\n%s", o.repeat, median(runs).text())
	}
	if rcv != nil {
		fmt.Fprintf(stdout, "callbacks received: %d transactions, %d attempts\n", len(rcv.Delivered()), rcv.Attempts())
	}
	return nil
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
