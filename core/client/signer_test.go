package client

import (
	"testing"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/keys"
)

func mustSigner(t *testing.T) *keys.Signer {
	t.Helper()
	s, err := keys.Generate(device.NewSoftKeyStore(nil), keys.AliasClient)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
