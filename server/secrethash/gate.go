package secrethash

import (
	"errors"
	"sync/atomic"
)

// ErrBusy is returned when every slot of the hash gate is taken: the
// request is refused at once (503) instead of queueing, so anonymous
// clients cannot grow memory or latency with argon2 work (issue 11, item 3).
var ErrBusy = errors.New("secrethash: too many password/PIN checks in progress")

// DefaultConcurrency bounds concurrent argon2 computations when the
// configuration does not: with DefaultParams (19 MiB each) 8 slots cap the
// hashing memory near 152 MiB.
const DefaultConcurrency = 8

// Gate runs argon2 hashes and verifications with at most N at once. A
// caller that finds every slot taken gets ErrBusy without waiting. Every
// argon2 computation of the server goes through one gate.
type Gate struct {
	params  Params
	slots   chan struct{}
	running atomic.Int64
	maxSeen atomic.Int64
	refused atomic.Int64
	hashes  atomic.Int64
}

// NewGate returns a gate for params with n slots (n < 1: the default).
func NewGate(params Params, n int) *Gate {
	if n < 1 {
		n = DefaultConcurrency
	}
	return &Gate{params: params, slots: make(chan struct{}, n)}
}

func (g *Gate) enter() error {
	select {
	case g.slots <- struct{}{}:
	default:
		g.refused.Add(1)
		return ErrBusy
	}
	n := g.running.Add(1)
	for {
		m := g.maxSeen.Load()
		if n <= m || g.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	g.hashes.Add(1)
	return nil
}

func (g *Gate) leave() {
	g.running.Add(-1)
	<-g.slots
}

// Hash is the package function Hash under the gate.
func (g *Gate) Hash(secret string) (string, error) {
	if err := g.enter(); err != nil {
		return "", err
	}
	defer g.leave()
	return Hash(g.params, secret), nil
}

// Verify is the package function Verify under the gate.
func (g *Gate) Verify(encoded, secret string) (bool, error) {
	if err := g.enter(); err != nil {
		return false, err
	}
	defer g.leave()
	return Verify(encoded, secret)
}

// Dummy spends one verification's time and memory under the gate (an
// unknown user name costs what a wrong password costs, and counts against
// the same bound).
func (g *Gate) Dummy() error {
	if err := g.enter(); err != nil {
		return err
	}
	defer g.leave()
	DummyVerify(g.params)
	return nil
}

// GateStats are the gate's counters (tests and diagnostics).
type GateStats struct {
	Slots      int   // configured bound
	MaxRunning int64 // most computations ever running at once
	Refused    int64 // callers turned away with ErrBusy
	Hashes     int64 // computations run
}

// Stats returns the counters.
func (g *Gate) Stats() GateStats {
	return GateStats{Slots: cap(g.slots), MaxRunning: g.maxSeen.Load(), Refused: g.refused.Load(), Hashes: g.hashes.Load()}
}
