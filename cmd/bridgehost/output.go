package main

import (
	"io"
	"sync"
)

// maxPending bounds the answers buffered while standard output is slow; callers
// (the core's goroutines) wait beyond it, so a reader that stops reading slows
// the core down instead of growing memory without limit.
const maxPending = 4 << 20

// output writes each message (event or response envelope) as one line. Messages are
// collected by the callers and written by one goroutine, so a burst of answers
// costs few write calls while a lone answer is written at once.
type output struct {
	w       io.Writer
	mu      sync.Mutex
	cond    *sync.Cond
	pending []byte
	spare   []byte
	closed  bool
	err     error
	done    chan struct{}
}

func newOutput(w io.Writer) *output {
	o := &output{w: w, done: make(chan struct{})}
	o.cond = sync.NewCond(&o.mu)
	go o.loop()
	return o
}

// OnMessage queues msg for writing; it is the core's event sink and every
// call's reply.
func (o *output) OnMessage(msg string) {
	o.mu.Lock()
	for len(o.pending) > maxPending && o.err == nil && !o.closed {
		o.cond.Wait()
	}
	if o.err == nil && !o.closed {
		o.pending = append(o.pending, msg...)
		o.pending = append(o.pending, '\n')
		o.cond.Broadcast()
	}
	o.mu.Unlock()
}

func (o *output) loop() {
	defer close(o.done)
	o.mu.Lock()
	defer o.mu.Unlock()
	for {
		for len(o.pending) == 0 && !o.closed {
			o.cond.Wait()
		}
		if len(o.pending) == 0 && o.closed {
			return
		}
		batch := o.pending
		o.pending = o.spare[:0]
		o.cond.Broadcast() // wake callers waiting for room
		o.mu.Unlock()
		_, err := o.w.Write(batch)
		o.mu.Lock()
		o.spare = batch
		if err != nil && o.err == nil {
			o.err = err
			o.pending = o.pending[:0]
			o.cond.Broadcast()
		}
	}
}

// close writes what is pending, stops the writer and reports the first write error.
func (o *output) close() error {
	o.mu.Lock()
	o.closed = true
	o.cond.Broadcast()
	o.mu.Unlock()
	<-o.done
	return o.err
}
