package client

import (
	"testing"

	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
)

// Every error string of the protocol vocabulary has an SDK code of the table,
// so a new server error cannot reach the app as an unmapped 10000 by accident.
func TestServerCodesCoverProtocol(t *testing.T) {
	for _, e := range protocol.ErrorStrings() {
		c, ok := serverCodes[e]
		if !ok || c.Info().Code != c {
			t.Errorf("%s: no SDK code of the table (%d)", e, c)
		}
	}
	if len(serverCodes) != len(protocol.ErrorStrings()) {
		t.Errorf("%d mapped strings, %d in the protocol", len(serverCodes), len(protocol.ErrorStrings()))
	}
	if SDKCode(protocol.ErrInvalidPin) != 8004 || SDKCode(protocol.ErrAlreadyHandled) != 9029 ||
		SDKCode(protocol.ErrNotFound) != 10013 || SDKCode("no_such_error") != dispatch.CodeGeneral {
		t.Fatal("mapping")
	}
}
