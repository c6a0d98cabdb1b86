package httpio

import (
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
)

// FuzzDecodeStrictJSON: the device request decoder never panics on any body
// into any request type.
func FuzzDecodeStrictJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"otp":"x"}`, `{"otp":5}`, `[]`, `{"grant_type":"pin","pin":"12345"} x`, "{\"a\":\"\xff\"}", `{"time":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{&protocol.ClientRegistrationRequest{}, &protocol.TokenRequest{}, &protocol.DeregisterRequest{},
			&protocol.EnrollRequest{}, &protocol.ClaimRequest{}, &protocol.AnswerRequest{}} {
			_ = DecodeStrictJSON(b, v)
		}
	})
}
