package secrethash

import "testing"

func TestHashSecret(t *testing.T) {
	h := Hash(CheapParams, "13579")
	if ok, err := Verify(h, "13579"); !ok || err != nil {
		t.Fatalf("verify: %v %v", ok, err)
	}
	if ok, _ := Verify(h, "13578"); ok {
		t.Fatal("wrong secret verified")
	}
	if Hash(CheapParams, "13579") == h {
		t.Fatal("no salt")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$$", "$bcrypt$x", "$argon2id$v=18$m=64,t=1,p=1$AAAA$AAAA"} {
		if _, err := Verify(bad, "x"); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
