package user

import "testing"

// TestBiometricIDIgnoresCase: the biometric is named by its id in any case
// (the Cordova plugin's type "Fingerprint", the SDK's "FINGERPRINT") and kept
// as Types.BiometricAuthenticatorIds spells it; other names are not it.
func TestBiometricIDIgnoresCase(t *testing.T) {
	for in, want := range map[string]string{
		"fingerprint": "fingerprint", "Fingerprint": "fingerprint", "FINGERPRINT": "fingerprint",
		"com.onegini.authenticator.TouchID": "com.onegini.authenticator.TouchID", "COM.ONEGINI.AUTHENTICATOR.TOUCHID": "com.onegini.authenticator.TouchID",
	} {
		if got, ok := canonicalBiometricID(in); !ok || got != want || !isBiometricID(in) {
			t.Errorf("%q: got %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "PIN", "finger", "fingerprint ", "TouchID"} {
		if isBiometricID(in) {
			t.Errorf("%q taken as the biometric", in)
		}
	}
}
