package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
)

func TestContractOutput(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var c Contract
	if err := json.Unmarshal(out.Bytes(), &c); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(c.Methods) != len(api.Methods) || len(c.Events) != len(api.Events) || len(c.Codes) != len(dispatch.CodeTable()) {
		t.Fatalf("contract sizes: %d methods, %d events, %d codes", len(c.Methods), len(c.Events), len(c.Codes))
	}
	for i, ci := range dispatch.CodeTable() {
		if c.Codes[i] != ci {
			t.Fatalf("code %d: %+v != %+v", i, c.Codes[i], ci)
		}
	}
	// -o writes the same bytes.
	p := filepath.Join(t.TempDir(), "contract.json")
	if code := run([]string{"-o", p}, &bytes.Buffer{}, &errOut); code != 0 {
		t.Fatalf("-o: exit %d: %s", code, errOut.String())
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, out.Bytes()) {
		t.Fatal("-o output differs from standard output")
	}
	if code := run([]string{"-o", "/proc/version/x"}, &bytes.Buffer{}, &errOut); code != 1 {
		t.Fatalf("unwritable -o: exit %d", code)
	}
	if code := run([]string{"-bogus"}, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
		t.Fatalf("bad flag: exit %d", code)
	}
}

// Every method of the contract is registered by the assembled core, so the JS
// API never names a method the core does not know.
func TestContractMethodsAreRegistered(t *testing.T) {
	s, err := sdk.New(sdk.Options{Storage: device.NewMemStorage(), Keys: device.NewSoftKeyStore(nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	have := map[string]bool{}
	for _, m := range s.Dispatcher().Methods() {
		have[m] = true
	}
	for _, m := range build().Methods {
		if !have[m] {
			t.Errorf("contract method %q is not registered in the core", m)
		}
	}
}
