package eventprobe

import (
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"
)

type collect struct {
	mu   sync.Mutex
	msgs []string
}

func (c *collect) OnEvent(m string) {
	c.mu.Lock()
	c.msgs = append(c.msgs, m)
	c.mu.Unlock()
}

func TestEmitDeliversEventParams(t *testing.T) {
	c := &collect{}
	if err := Emit(c, "ONEWELCOME_PIN_CREATE_NOTIFICATION", `{"action":"open","pinLength":5}`, 3); err != nil {
		t.Fatal(err)
	}
	if len(c.msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(c.msgs))
	}
	m := gjson.Parse(c.msgs[0])
	if m.Get("method").Exists() || m.Get("id").Exists() ||
		m.Get("type").String() != "ONEWELCOME_PIN_CREATE_NOTIFICATION" || m.Get("pinLength").Int() != 5 {
		t.Fatalf("unexpected event params %s", c.msgs[0])
	}
}

func TestEmitRejectsNonObjectPayload(t *testing.T) {
	err := Emit(&collect{}, "x", `[1]`, 1)
	if err == nil || !strings.Contains(err.Error(), "JSON object") {
		t.Fatalf("want a clear error, got %v", err)
	}
}
