package wakeup

import "testing"

func TestHub(t *testing.T) {
	h := NewHub()
	c1, r1 := h.Subscribe("a")
	c2, r2 := h.Subscribe("a")
	_, r3 := h.Subscribe("b")
	r3()
	if h.Len() != 1 {
		t.Fatalf("len = %d", h.Len())
	}
	h.Notify("a")
	<-c1
	<-c2
	r1()
	r2()
	r2()
	if h.Len() != 0 {
		t.Fatalf("len after notify = %d", h.Len())
	}
}
