package server_test

import (
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/protocol/pinpolicy"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/servertest"
)

// Issue 11, item 12: the server refuses exactly the PINs the SDK refuses —
// both run pinpolicy.Examples (core/user/pin_test.go is the SDK side). A
// refused PIN does not spend the authorization code.
func TestServerPinPolicyMatchesSDK(t *testing.T) {
	for _, length := range []int{4, 5, 6} {
		ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) { c.PinLength = length }})
		d := ts.NewDevice()
		code, verifier, err := d.Login(ts.DemoUser, ts.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		var good string
		for _, e := range pinpolicy.Examples {
			if e.Length != length {
				continue
			}
			if e.Want != pinpolicy.OK {
				ae := wantErr(t, d.ExchangeCode(code, verifier, e.PIN), protocol.ErrPinNotAllowed)
				if contains(ae.ErrorDescription, e.PIN) && e.PIN != "" {
					t.Fatalf("the refusal names the PIN")
				}
				continue
			}
			good = e.PIN
		}
		if good == "" {
			t.Fatalf("no accepted example of length %d", length)
		}
		if err := d.ExchangeCode(code, verifier, good); err != nil {
			t.Fatalf("length %d: accepted example %q after the refusals: %v", length, good, err)
		}
		ts.Close()
	}
}
