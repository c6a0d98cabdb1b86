package svc

import (
	"errors"
	"sync/atomic"
)

// ErrHashBusy is returned when every slot of the hash gate is taken: the
// request is refused at once (503) instead of queueing, so anonymous
// clients cannot grow memory or latency with argon2 work (issue 11, item 3).
var ErrHashBusy = errors.New("svc: too many password/PIN checks in progress")

// DefaultHashConcurrency bounds concurrent argon2 computations when the
// configuration does not: with DefaultArgon2 (19 MiB each) 8 slots cap the
// hashing memory near 152 MiB.
const DefaultHashConcurrency = 8

// HashGate runs argon2 hashes and verifications with at most N at once. A
// caller that finds every slot taken gets ErrHashBusy without waiting. Every
// argon2 computation of the server goes through one gate.
type HashGate struct {
	params  Argon2Params
	slots   chan struct{}
	running atomic.Int64
	maxSeen atomic.Int64
	refused atomic.Int64
	hashes  atomic.Int64
}

// NewHashGate returns a gate for params with n slots (n < 1: the default).
func NewHashGate(params Argon2Params, n int) *HashGate {
	if n < 1 {
		n = DefaultHashConcurrency
	}
	return &HashGate{params: params, slots: make(chan struct{}, n)}
}

func (g *HashGate) enter() error {
	select {
	case g.slots <- struct{}{}:
	default:
		g.refused.Add(1)
		return ErrHashBusy
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

func (g *HashGate) leave() {
	g.running.Add(-1)
	<-g.slots
}

// Hash is HashSecret under the gate.
func (g *HashGate) Hash(secret string) (string, error) {
	if err := g.enter(); err != nil {
		return "", err
	}
	defer g.leave()
	return HashSecret(g.params, secret), nil
}

// Verify is VerifySecret under the gate.
func (g *HashGate) Verify(encoded, secret string) (bool, error) {
	if err := g.enter(); err != nil {
		return false, err
	}
	defer g.leave()
	return VerifySecret(encoded, secret)
}

// Dummy spends one verification's time and memory under the gate (an
// unknown user name costs what a wrong password costs, and counts against
// the same bound).
func (g *HashGate) Dummy() error {
	if err := g.enter(); err != nil {
		return err
	}
	defer g.leave()
	DummyVerify(g.params)
	return nil
}

// HashGateStats are the gate's counters (tests and diagnostics).
type HashGateStats struct {
	Slots      int   // configured bound
	MaxRunning int64 // most computations ever running at once
	Refused    int64 // callers turned away with ErrHashBusy
	Hashes     int64 // computations run
}

// Stats returns the counters.
func (g *HashGate) Stats() HashGateStats {
	return HashGateStats{Slots: cap(g.slots), MaxRunning: g.maxSeen.Load(), Refused: g.refused.Load(), Hashes: g.hashes.Load()}
}
