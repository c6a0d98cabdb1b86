package dispatch

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHandleAsyncTo: each request's response goes to its own deliver function,
// exactly once, after the events its handler emitted went to the sink; a
// panicking deliver is contained; after Close the answer is 8020 at once.
func TestHandleAsyncTo(t *testing.T) {
	var mu sync.Mutex
	var log []string
	rec := func(s string) {
		mu.Lock()
		log = append(log, s)
		mu.Unlock()
	}
	d := New(Options{Sink: func(m string) { rec("event " + m) }})
	if err := d.Register("emit", func(_ context.Context, c *Call) (any, error) {
		c.Emit("E", map[string]any{"n": 1})
		c.Emit("E", map[string]any{"n": 2})
		return "done", nil
	}); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 4)
	d.HandleAsyncTo(`{"jsonrpc":"2.0","id":1,"method":"emit"}`, func(resp string) { rec("reply " + resp); got <- resp })
	d.HandleAsyncTo(`{"jsonrpc":"2.0","id":2,"method":"ping"}`, func(string) { panic("native reply threw") })
	d.HandleAsyncTo(`{"jsonrpc":"2.0","id":3,"method":"ping"}`, func(resp string) { got <- resp })
	for i := 0; i < 2; i++ {
		select {
		case <-got:
		case <-time.After(5 * time.Second):
			t.Fatal("no answer")
		}
	}
	d.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(log) != 3 || !strings.HasPrefix(log[0], "event ") || !strings.HasPrefix(log[1], "event ") ||
		log[2] != `reply {"jsonrpc":"2.0","id":1,"result":"done"}` {
		t.Fatalf("delivery order %q", log)
	}
	if len(got) != 0 {
		t.Fatalf("extra answers: %d", len(got))
	}
	d.HandleAsyncTo(`{"jsonrpc":"2.0","id":4,"method":"ping"}`, func(resp string) { got <- resp })
	if resp := <-got; !strings.Contains(resp, `"id":4,"error":{"code":8020`) {
		t.Fatalf("after Close: %s", resp)
	}
}
