package svc

import (
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"testing"
)

func TestPinPolicy(t *testing.T) {
	for pin, want := range map[string]bool{"13579": true, "24680": true, "11112": true, "11111": false, "12345": false, "54321": false,
		"01234": false, "1234": false, "123456": false, "1234a": false, "": false, "９９９９８": false, "78901": false, "21098": false} {
		if got := PinPolicy(pin, 5) == pinpolicy.OK; got != want {
			t.Errorf("PinPolicy(%q) OK = %v, want %v", pin, got, want)
		}
	}
}

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
