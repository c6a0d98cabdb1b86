package flow

import (
	"context"
	"sync"
	"time"

	"github.com/openmobileauth/oma/core/dispatch"
)

// DefaultTimeout bounds every wait for the app or the user when the core's
// configuration sets no other bound (sdk.Config's flowTimeoutMs). It is a
// constant: a core's bound is chosen when the core is built, per core.
const DefaultTimeout = 5 * time.Minute

// Input is one value delivered to a waiting flow.
type Input struct {
	// Kind names the input ("pin", "cancel", "callback", "accept", ...).
	Kind string
	// Value is the input's data (a PIN, a URI); may be empty.
	Value string
	reply chan error
}

// Reply answers the Deliver call that sent in (nil resolves it). Reply must be
// called at most once; a flow that ends without replying resolves the caller.
func (in Input) Reply(err error) {
	if in.reply != nil {
		in.reply <- err
	}
}

// Slot holds at most one running flow.
type Slot struct {
	mu          sync.Mutex
	cur         *Flow
	notProgress dispatch.Code
	name        string
}

// NewSlot returns a slot for flows called name; notInProgress is the code a
// Deliver gets when no flow waits for its input.
func NewSlot(name string, notInProgress dispatch.Code) *Slot {
	return &Slot{name: name, notProgress: notInProgress}
}

// Flow is one running flow. Its methods other than Await may be called from any
// goroutine.
type Flow struct {
	slot    *Slot
	in      chan Input
	done    chan struct{}
	mu      sync.Mutex
	want    map[string]bool
	once    sync.Once
	timeout time.Duration
}

// Begin starts a flow; it answers 9007 while another flow of the slot runs. The
// caller must End the flow.
func (s *Slot) Begin(timeout time.Duration) (*Flow, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		return nil, dispatch.Errorf(dispatch.CodeActionInProgress, "a %s is already in progress", s.name)
	}
	f := &Flow{slot: s, in: make(chan Input), done: make(chan struct{}), timeout: timeout}
	s.cur = f
	return f, nil
}

// Busy reports whether a flow runs.
func (s *Slot) Busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil
}

// End finishes the flow: the slot is free again and pending Delivers return.
func (f *Flow) End() {
	f.once.Do(func() {
		f.slot.mu.Lock()
		if f.slot.cur == f {
			f.slot.cur = nil
		}
		f.slot.mu.Unlock()
		close(f.done)
	})
}

// Waiting reports whether the slot's flow currently waits for an input of kind.
func (s *Slot) Waiting(kind string) bool {
	s.mu.Lock()
	f := s.cur
	s.mu.Unlock()
	return f != nil && f.wants(kind)
}

func (f *Flow) wants(kind string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.want[kind]
}

func (f *Flow) setWant(kinds []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(kinds) == 0 {
		f.want = nil
		return
	}
	f.want = make(map[string]bool, len(kinds))
	for _, k := range kinds {
		f.want[k] = true
	}
}

// Expect declares the input kinds the flow accepts from now on, before it
// emits the event that invites them, so an app answering the event at once is
// never refused. With no kinds every Deliver is refused. The kinds stay
// accepted until the next Expect or Await; a Deliver that arrives while the
// flow is busy (between two Awaits) waits for the next Await.
func (f *Flow) Expect(kinds ...string) { f.setWant(kinds) }

// ErrTimeout is the code Await answers when the wait timed out.
const ErrTimeout = dispatch.CodeCancelled

// Await waits for an input of one of kinds (and Expects them). It answers 9006
// when ctx ends (the SDK closes) or the flow's timeout passes. Inputs of other
// kinds that race in are answered with the slot's "not in progress" code.
func (f *Flow) Await(ctx context.Context, kinds ...string) (Input, error) {
	f.setWant(kinds)
	t := time.NewTimer(f.timeout)
	defer t.Stop()
	for {
		select {
		case in := <-f.in:
			ok := false
			for _, k := range kinds {
				ok = ok || k == in.Kind
			}
			if ok {
				return in, nil
			}
			in.Reply(f.slot.notInProgress(in.Kind))
		case <-ctx.Done():
			return Input{}, dispatch.Errorf(dispatch.CodeCancelled, "%s cancelled: the SDK is closing", f.slot.name)
		case <-t.C:
			return Input{}, dispatch.Errorf(ErrTimeout, "%s cancelled: no answer within %s", f.slot.name, f.timeout)
		}
	}
}

func (s *Slot) notInProgress(kind string) *dispatch.Error {
	return dispatch.Errorf(s.notProgress, "no %s is waiting for %s", s.name, kind)
}

// Deliver hands an input to the slot's flow if it waits for kind and returns the
// flow's reply. With no flow waiting for kind it answers the slot's "not in
// progress" code at once.
func (s *Slot) Deliver(ctx context.Context, kind, value string) error {
	s.mu.Lock()
	f := s.cur
	s.mu.Unlock()
	if f == nil || !f.wants(kind) {
		return s.notInProgress(kind)
	}
	in := Input{Kind: kind, Value: value, reply: make(chan error, 1)}
	select {
	case f.in <- in:
	case <-f.done:
		return s.notInProgress(kind)
	case <-ctx.Done():
		return dispatch.Errorf(dispatch.CodeCancelled, "cancelled: the SDK is closing")
	}
	select {
	case err := <-in.reply:
		return err
	case <-f.done:
		select {
		case err := <-in.reply:
			return err
		default:
			return nil
		}
	case <-ctx.Done():
		return dispatch.Errorf(dispatch.CodeCancelled, "cancelled: the SDK is closing")
	}
}

// Handler returns a dispatcher handler that checks ready (for example "the
// client is started") and then delivers an input of kind with no value to s:
// the shape of every accept, deny and cancel method.
func (s *Slot) Handler(ready func() error, kind string) dispatch.Handler {
	return func(ctx context.Context, _ *dispatch.Call) (any, error) {
		if err := ready(); err != nil {
			return nil, err
		}
		return nil, s.Deliver(ctx, kind, "")
	}
}
