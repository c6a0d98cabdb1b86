package weblogin

import "testing"

func TestHiddenFields(t *testing.T) {
	page := `<form method="post">
	  <input type="hidden" name="csrf" value="a&amp;b">
	  <INPUT name='state2' TYPE='HIDDEN' value='x y'>
	  <input type=hidden name=bare value=v1>
	  <input type="text" name="username" value="">
	  <input type="password" name="password">
	</form>`
	v := HiddenFields(page)
	want := map[string]string{"csrf": "a&b", "state2": "x y", "bare": "v1"}
	if len(v) != len(want) {
		t.Fatalf("got %v, want %v", v, want)
	}
	for k, w := range want {
		if g := v.Get(k); g != w {
			t.Errorf("%s = %q, want %q", k, g, w)
		}
	}
}
