package oauthscope

import "testing"

func TestAllowed(t *testing.T) {
	allowed := []string{OpenID, "profile"}
	for requested, want := range map[string]string{"": "", "openid": "", "openid profile": "", "  profile   openid ": "",
		"openid email": "email", "read": "read", "Openid": "Openid", "openidprofile": "openidprofile"} {
		ok, bad := Allowed(requested, allowed)
		if ok != (want == "") || bad != want {
			t.Errorf("Allowed(%q) = %v %q, want bad %q", requested, ok, bad, want)
		}
	}
	if ok, bad := Allowed("read", nil); ok || bad != "read" {
		t.Errorf("nothing allowed: %v %q", ok, bad)
	}
}

func TestHas(t *testing.T) {
	for granted, want := range map[string]bool{"openid profile": true, "profile openid": true, " openid ": true,
		"profile": false, "": false, "openidx": false, "open id": false} {
		if got := Has(granted, OpenID); got != want {
			t.Errorf("Has(%q, openid) = %v, want %v", granted, got, want)
		}
	}
}
