package svc

import (
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"testing"
)

func TestHashSecret(t *testing.T) {
	h := HashSecret(CheapArgon2, "13579")
	if ok, err := VerifySecret(h, "13579"); !ok || err != nil {
		t.Fatalf("verify: %v %v", ok, err)
	}
	if ok, _ := VerifySecret(h, "13578"); ok {
		t.Fatal("wrong secret verified")
	}
	if HashSecret(CheapArgon2, "13579") == h {
		t.Fatal("no salt")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$$", "$bcrypt$x", "$argon2id$v=18$m=64,t=1,p=1$AAAA$AAAA"} {
		if _, err := VerifySecret(bad, "x"); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

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
