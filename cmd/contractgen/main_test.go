package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
)

func TestSchemaOutput(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var s Schema
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(s.Methods) != len(api.Declared()) || len(s.Events) != len(api.DeclaredEvents()) || len(s.Codes) != len(dispatch.CodeTable()) {
		t.Fatalf("schema sizes: %d methods, %d events, %d codes", len(s.Methods), len(s.Events), len(s.Codes))
	}
	for i, ci := range dispatch.CodeTable() {
		if s.Codes[i] != ci {
			t.Fatalf("code %d: %+v != %+v", i, s.Codes[i], ci)
		}
	}
	// Every $ref resolves; every method answers 8000 and 8009 besides its own codes.
	var refs func(j *JSON)
	refs = func(j *JSON) {
		if j == nil {
			return
		}
		if j.Ref != "" {
			if _, ok := s.Defs[strings.TrimPrefix(j.Ref, "#/$defs/")]; !ok {
				t.Errorf("dangling %s", j.Ref)
			}
		}
		for _, p := range j.Properties {
			refs(p)
		}
		refs(j.Items)
		if j.AdditionalProperties != nil {
			refs(j.AdditionalProperties.Schema)
		}
	}
	for _, m := range s.Methods {
		refs(m.Params)
		refs(m.Result)
		if !contains(m.Errors, 8000) || !contains(m.Errors, 8009) {
			t.Errorf("%s: errors %v", m.Name, m.Errors)
		}
	}
	for _, d := range s.Defs {
		refs(d)
	}
	// submitPin's params say what the dispatcher enforces.
	sp := s.Defs["SubmitPinParams"]
	if sp == nil || strings.Join(sp.Required, ",") != "flow,pin" || sp.Properties["pin"].MinLength != 1 ||
		strings.Join(sp.Properties["flow"].Enum, ",") != "Create,Authentication" || sp.AdditionalProperties == nil {
		t.Fatalf("SubmitPinParams: %+v", sp)
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

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// -check fails on every kind of stale file and -write repairs them; the
// committed files of the repository are up to date.
func TestCheckAndWrite(t *testing.T) {
	repo := filepath.Join("..", "..")
	var out, errOut bytes.Buffer
	if code := run([]string{"-check", "-root", repo}, &out, &errOut); code != 0 {
		t.Fatalf("the committed generated files are stale (run go run ./cmd/contractgen -write): %s", errOut.String())
	}
	root := t.TempDir()
	for _, p := range []string{schemaPath, tsPath, readmePath} {
		b, err := os.ReadFile(filepath.Join(repo, p))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{schemaPath, tsPath, readmePath} {
		full := filepath.Join(root, p)
		good, _ := os.ReadFile(full)
		stale := bytes.Replace(good, []byte("submitPin"), []byte("submitPim"), 1)
		if err := os.WriteFile(full, stale, 0o644); err != nil {
			t.Fatal(err)
		}
		errOut.Reset()
		if code := run([]string{"-check", "-root", root}, &bytes.Buffer{}, &errOut); code != 1 || !strings.Contains(errOut.String(), p) {
			t.Fatalf("%s stale: exit %d, %s", p, code, errOut.String())
		}
		if code := run([]string{"-write", "-root", root}, &bytes.Buffer{}, &errOut); code != 0 {
			t.Fatalf("-write: %s", errOut.String())
		}
		if b, _ := os.ReadFile(full); !bytes.Equal(b, good) {
			t.Fatalf("-write did not restore %s", p)
		}
	}
	// A README without the markers is an error, not a silent skip.
	if err := os.WriteFile(filepath.Join(root, readmePath), []byte("# no block\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"-write", "-root", root}, &bytes.Buffer{}, &errOut); code != 1 {
		t.Fatalf("README without markers: exit %d", code)
	}
}

// The assembled core registers exactly the declared methods: the JS API never
// names a method the core does not know, and no handler is undeclared.
func TestDeclaredMethodsAreRegistered(t *testing.T) {
	s, err := sdk.New(sdk.Options{Storage: device.NewMemStorage(), Keys: device.NewSoftKeyStore(nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	have := map[string]bool{}
	for _, m := range s.Dispatcher().Methods() {
		have[m] = true
		if api.Lookup(m) == nil {
			t.Errorf("registered method %q has no declaration in core/api", m)
		}
	}
	for _, m := range api.Declared() {
		if !have[m.Name] {
			t.Errorf("declared method %q is not registered in the core", m.Name)
		}
	}
}
