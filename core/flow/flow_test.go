package flow

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/dispatch"
)

func code(err error) dispatch.Code { return dispatch.CodeOf(err) }

func TestBeginTwiceIsInProgress(t *testing.T) {
	s := NewSlot("registration", dispatch.CodeNoFlowInProgress)
	f, err := s.Begin(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Begin(0); code(err) != dispatch.CodeActionInProgress {
		t.Fatalf("second Begin: %v", err)
	}
	f.End()
	f.End() // idempotent
	f2, err := s.Begin(0)
	if err != nil {
		t.Fatal(err)
	}
	f2.End()
}

func TestDeliverWithNothingWaiting(t *testing.T) {
	s := NewSlot("mobile authentication", dispatch.CodeNoMobileAuthInProgress)
	if err := s.Deliver(context.Background(), "accept", ""); code(err) != dispatch.CodeNoMobileAuthInProgress {
		t.Fatalf("deliver without flow: %v", err)
	}
	f, _ := s.Begin(0)
	defer f.End()
	if err := s.Deliver(context.Background(), "accept", ""); code(err) != dispatch.CodeNoMobileAuthInProgress {
		t.Fatalf("deliver to a flow not awaiting: %v", err)
	}
}

func TestAwaitDeliverReply(t *testing.T) {
	s := NewSlot("PIN creation", dispatch.CodeNoFlowInProgress)
	f, _ := s.Begin(time.Minute)
	var got []string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer f.End()
		for {
			in, err := f.Await(context.Background(), "pin", "cancel")
			if err != nil {
				t.Error(err)
				return
			}
			got = append(got, in.Kind+":"+in.Value)
			if in.Kind == "cancel" {
				in.Reply(nil)
				return
			}
			in.Reply(dispatch.Errorf(dispatch.CodePinNotAllowed, "bad"))
		}
	}()
	for !s.Waiting("pin") {
		time.Sleep(time.Millisecond)
	}
	if err := s.Deliver(context.Background(), "pin", "11111"); code(err) != dispatch.CodePinNotAllowed {
		t.Fatalf("reply not passed back: %v", err)
	}
	for !s.Waiting("cancel") {
		time.Sleep(time.Millisecond)
	}
	if err := s.Deliver(context.Background(), "cancel", ""); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if len(got) != 2 || got[0] != "pin:11111" || got[1] != "cancel:" {
		t.Fatalf("inputs %v", got)
	}
	if s.Busy() {
		t.Fatal("slot still busy after End")
	}
}

func TestAwaitTimeoutAndContext(t *testing.T) {
	s := NewSlot("x", dispatch.CodeNoFlowInProgress)
	f, _ := s.Begin(20 * time.Millisecond)
	if _, err := f.Await(context.Background(), "pin"); code(err) != dispatch.CodeCancelled {
		t.Fatalf("timeout: %v", err)
	}
	f.End()
	f, _ = s.Begin(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Await(ctx, "pin"); code(err) != dispatch.CodeCancelled {
		t.Fatalf("cancelled context: %v", err)
	}
	f.End()
}

func TestDeliverReturnsWhenFlowEnds(t *testing.T) {
	s := NewSlot("x", dispatch.CodeNoFlowInProgress)
	f, _ := s.Begin(time.Hour)
	started := make(chan struct{})
	go func() {
		in, _ := f.Await(context.Background(), "pin")
		close(started)
		_ = in // ends without replying
		f.End()
	}()
	for !s.Waiting("pin") {
		time.Sleep(time.Millisecond)
	}
	if err := s.Deliver(context.Background(), "pin", "1"); err != nil {
		t.Fatalf("deliver to a flow that ended: %v", err)
	}
	<-started
}

// TestExpectBeforeEventAcceptsAnImmediateAnswer: an app that answers the
// event at once, before the flow reaches Await, is not refused.
func TestExpectBeforeEventAcceptsAnImmediateAnswer(t *testing.T) {
	s := NewSlot("x", dispatch.CodeNoMobileAuthInProgress)
	f, _ := s.Begin(time.Minute)
	defer f.End()
	f.Expect("accept")
	res := make(chan error, 1)
	go func() { res <- s.Deliver(context.Background(), "accept", "") }()
	time.Sleep(20 * time.Millisecond) // the flow is "busy" before its Await
	in, err := f.Await(context.Background(), "accept")
	if err != nil || in.Kind != "accept" {
		t.Fatalf("await: %v %v", in, err)
	}
	in.Reply(nil)
	if err := <-res; err != nil {
		t.Fatalf("immediate answer refused: %v", err)
	}
	f.Expect()
	if err := s.Deliver(context.Background(), "accept", ""); dispatch.CodeOf(err) != dispatch.CodeNoMobileAuthInProgress {
		t.Fatalf("after Expect(): %v", err)
	}
}
