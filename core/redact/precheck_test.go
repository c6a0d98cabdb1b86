package redact

import "testing"

var precheckSeeds = []string{
	"", "authentication request claimed", "f3a9c2d1e0b4a5968778695a4b3c2d1e", "accepted",
	"Bearer abc.def", "DPoP eyJhbGciOi.x.y", "basic   dXNlcjpwYXNz", "otp=12345678", "PIN: 1234",
	"access_token: \"x\"", "Password hunter2", "PASSPHRASE  x", "passwd\tx", "eyJabcdefgh.ij.kl",
	"baſic abc", "KEY=1", "token:abc", "a\fbearer\rx", "bearerx", "no secrets here",
	"client_secret=s3cr3t&x=1", "https://rp.example/cb?a=b", "multiple words only",
}

// TestMayHoldCredentialIsSound: whenever the pre-check says no, the
// expression finds nothing either (so RedactText's result is unchanged).
func TestMayHoldCredentialIsSound(t *testing.T) {
	for _, s := range precheckSeeds {
		if !mayHoldCredential(s) && credentialPattern.MatchString(s) {
			t.Errorf("pre-check skipped %q, which the expression matches", s)
		}
	}
	for _, s := range []string{"authentication request claimed", "f3a9c2d1e0b4", "accepted", "no secrets here"} {
		if mayHoldCredential(s) {
			t.Errorf("pre-check sends %q to the expression (no fast path)", s)
		}
	}
}

func FuzzMayHoldCredential(f *testing.F) {
	for _, s := range precheckSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !mayHoldCredential(s) && credentialPattern.MatchString(s) {
			t.Errorf("pre-check skipped %q, which the expression matches", s)
		}
	})
}
