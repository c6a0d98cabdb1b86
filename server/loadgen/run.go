package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
)

// Plan says how much load to make. Rate > 0 selects the open model (a new
// transaction every 1/Rate seconds whatever the server does; latency counts
// from the scheduled start, so a slow server cannot hide queueing); otherwise
// Concurrency workers each run transactions back to back (closed model).
type Plan struct {
	Rate        float64       // transactions per second (open model); 0 = closed model
	Concurrency int           // closed-model workers (default 8)
	Duration    time.Duration // measured time (default 10 s); 0 with Count > 0 = until Count
	Count       int           // stop after this many measured transactions (0 = no limit)
	Warmup      time.Duration // run this long first without measuring
	MaxInFlight int           // open model: refuse to start more (counted as "overload") (default 4096)

	Type        string // OTP type (default "demo")
	Message     string // request message (default "Log in to Example from loadgen")
	CallbackURI string // optional callback URI for every request
	Bound       bool   // bind each request to the answering device's user (user_id)

	// Fast, when set, carries the measured transactions (start, claim,
	// answer, fetch) instead of the RP's and devices' net/http clients.
	Fast *FastClient
}

// Report is the outcome of Run.
type Report struct {
	Model     string // "open" or "closed"
	Rate      float64
	Workers   int
	Elapsed   time.Duration // measured wall time
	OK        int
	Errors    int
	ErrorKind map[string]int // by "op: HTTP status error" (or "op: other")
	TPS       float64        // OK / Elapsed
	P50, P90  time.Duration
	P99, Max  time.Duration
	Mean      time.Duration
}

// String formats the report on a few lines.
func (r *Report) String() string {
	s := fmt.Sprintf("model=%s", r.Model)
	if r.Model == "open" {
		s += fmt.Sprintf(" rate=%.0f/s", r.Rate)
	} else {
		s += fmt.Sprintf(" workers=%d", r.Workers)
	}
	s += fmt.Sprintf(" elapsed=%.2fs ok=%d errors=%d\n", r.Elapsed.Seconds(), r.OK, r.Errors)
	s += fmt.Sprintf("throughput: %.1f complete transactions/s\n", r.TPS)
	s += fmt.Sprintf("latency (create+claim+answer+fetch): p50=%s p90=%s p99=%s max=%s mean=%s\n",
		ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), ms(r.Mean))
	if len(r.ErrorKind) > 0 {
		keys := make([]string, 0, len(r.ErrorKind))
		for k := range r.ErrorKind {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s += fmt.Sprintf("  error %-50s %d\n", k, r.ErrorKind[k])
		}
	}
	return s
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms" }

// Transaction runs one complete OTP transaction: the relying party starts a
// request, dev claims it and accepts it, and the relying party fetches the
// result, which must be authenticated.
func Transaction(ctx context.Context, rp *RP, dev *Device, p *Plan) (txID string, err error) {
	if p.Fast != nil {
		return fastTransaction(ctx, p.Fast, rp, dev, p)
	}
	ar := AuthRequest{Type: p.Type, Message: p.Message, CallbackURI: p.CallbackURI}
	if p.Bound {
		ar.UserID = dev.UserID
	}
	st, err := rp.Start(ctx, ar)
	if err != nil {
		return "", err
	}
	c, err := dev.Claim(ctx, st.OTP)
	if err != nil {
		return st.TransactionID, err
	}
	if c.TransactionID != st.TransactionID {
		return st.TransactionID, errors.New("claim: transaction id differs from the started one")
	}
	a, err := dev.Respond(ctx, c, protocol.DecisionAccept)
	if err != nil {
		return st.TransactionID, err
	}
	if a.Status != "accepted" || a.TransactionID != st.TransactionID {
		return st.TransactionID, fmt.Errorf("answer: status %q, want accepted", a.Status)
	}
	res, err := rp.Fetch(ctx, st.TransactionID)
	if err != nil {
		return st.TransactionID, err
	}
	if !res.IsAuthenticated || res.Status != "accepted" || res.TransactionID != st.TransactionID {
		return st.TransactionID, fmt.Errorf("fetch: status %q authenticated=%v, want accepted", res.Status, res.IsAuthenticated)
	}
	return st.TransactionID, nil
}

// errKind names an error for the report.
func errKind(err error) string {
	var he *HTTPError
	if errors.As(err, &he) {
		return fmt.Sprintf("%s: HTTP %d %s", he.Op, he.Status, he.ErrorResponse.Error)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || errors.Is(err, os.ErrDeadlineExceeded) {
		return "timeout/cancelled"
	}
	s := err.Error()
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

type collector struct {
	mu        sync.Mutex
	measuring bool
	lat       []time.Duration
	errs      map[string]int
	nErr      int
}

func (c *collector) add(d time.Duration, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.measuring {
		return
	}
	if err != nil {
		c.nErr++
		c.errs[errKind(err)]++
		return
	}
	c.lat = append(c.lat, d)
}

func (c *collector) done() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.lat) + c.nErr
}

// Run executes the plan with devices (used round robin; each must be Setup)
// against rp and returns the report. It stops at ctx's end, after
// Plan.Duration, or after Plan.Count measured transactions.
func Run(ctx context.Context, rp *RP, devices []*Device, p Plan) (*Report, error) {
	if len(devices) == 0 {
		return nil, errors.New("loadgen: no devices")
	}
	if p.Type == "" {
		p.Type = "demo"
	}
	if p.Message == "" {
		p.Message = "Log in to Example from loadgen"
	}
	if p.Concurrency <= 0 {
		p.Concurrency = 8
	}
	if p.MaxInFlight <= 0 {
		p.MaxInFlight = 4096
	}
	if p.Duration <= 0 && p.Count <= 0 {
		p.Duration = 10 * time.Second
	}
	col := &collector{errs: map[string]int{}}
	var next atomic.Uint64
	pick := func() *Device { return devices[int(next.Add(1)-1)%len(devices)] }

	if p.Warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, p.Warmup)
		runFor(wctx, rp, pick, &p, col, 0)
		cancel()
	}
	col.mu.Lock()
	col.measuring = true
	col.mu.Unlock()
	mctx := ctx
	var cancel context.CancelFunc = func() {}
	if p.Duration > 0 {
		mctx, cancel = context.WithTimeout(ctx, p.Duration)
	}
	defer cancel()
	t0 := time.Now()
	runFor(mctx, rp, pick, &p, col, p.Count)
	elapsed := time.Since(t0)

	col.mu.Lock()
	defer col.mu.Unlock()
	col.measuring = false
	r := &Report{Rate: p.Rate, Workers: p.Concurrency, Elapsed: elapsed, OK: len(col.lat), Errors: col.nErr, ErrorKind: col.errs}
	if p.Rate > 0 {
		r.Model = "open"
	} else {
		r.Model = "closed"
	}
	if elapsed > 0 {
		r.TPS = float64(r.OK) / elapsed.Seconds()
	}
	if n := len(col.lat); n > 0 {
		sort.Slice(col.lat, func(i, j int) bool { return col.lat[i] < col.lat[j] })
		pct := func(q float64) time.Duration {
			i := int(q*float64(n)+0.5) - 1
			if i < 0 {
				i = 0
			}
			if i >= n {
				i = n - 1
			}
			return col.lat[i]
		}
		r.P50, r.P90, r.P99, r.Max = pct(0.50), pct(0.90), pct(0.99), col.lat[n-1]
		var sum time.Duration
		for _, d := range col.lat {
			sum += d
		}
		r.Mean = sum / time.Duration(n)
	}
	return r, nil
}

// runFor makes load until ctx ends or count transactions finished (0 = no
// count limit), then waits for the transactions in flight. Transactions in
// flight use a context detached from ctx's deadline (bounded by their own
// timeout) so that the end of the run does not turn them into errors.
func runFor(ctx context.Context, rp *RP, pick func() *Device, p *Plan, col *collector, count int) {
	var started atomic.Int64
	take := func() bool {
		if count <= 0 {
			return true
		}
		return started.Add(1) <= int64(count)
	}
	one := func(sched time.Time) {
		tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_, err := Transaction(tctx, rp, pick(), p)
		col.add(time.Since(sched), err)
	}
	var wg sync.WaitGroup
	if p.Rate <= 0 {
		for i := 0; i < p.Concurrency; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil && take() {
					one(time.Now())
				}
			}()
		}
		wg.Wait()
		return
	}
	interval := time.Duration(float64(time.Second) / p.Rate)
	sem := make(chan struct{}, p.MaxInFlight)
	start := time.Now()
	for i := 0; ; i++ {
		sched := start.Add(time.Duration(i) * interval)
		if w := time.Until(sched); w > 0 {
			t := time.NewTimer(w)
			select {
			case <-ctx.Done():
				t.Stop()
			case <-t.C:
			}
		}
		if ctx.Err() != nil || !take() {
			break
		}
		select {
		case sem <- struct{}{}:
		default:
			col.add(0, errors.New("overload: too many transactions in flight"))
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			one(sched)
		}()
	}
	wg.Wait()
}

// SetupDevices makes n devices and sets each up concurrently (par at a time)
// with the credentials users(i) returns and pin.
func SetupDevices(ctx context.Context, base string, hc *http.Client, n, par int, users func(i int) (username, password string), pin string) ([]*Device, error) {
	if par <= 0 {
		par = 4
	}
	devs := make([]*Device, n)
	errs := make([]error, n)
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			d, err := NewDevice(base, hc)
			if err == nil {
				u, pw := users(i)
				err = d.Setup(ctx, u, pw, pin)
			}
			devs[i], errs[i] = d, err
		}(i)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("loadgen: device set-up: %w", err)
	}
	return devs, nil
}
