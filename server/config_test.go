package server_test

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/store"
)

func TestNewRejectsBadConfig(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	for name, c := range map[string]server.Config{
		"wildcard without base URL": {ListenAddr: "0.0.0.0:8080", StoreURL: st},
		"empty host":                {ListenAddr: ":8080", StoreURL: st},
		"relative base URL":         {PublicBaseURL: "/oma", StoreURL: st},
		"ftp base URL":              {PublicBaseURL: "ftp://host", StoreURL: st},
		"bad policy":                {Policy: "sometimes", StoreURL: st},
		"bad PIN length":            {PinLength: 2, StoreURL: st},
		"bad log level":             {LogLevel: "loud", StoreURL: st},
		"bad store":                 {StoreURL: "mysql://x"},
	} {
		c.LogOutput = io.Discard
		if s, err := server.New(ctx, c); err == nil {
			_ = s.Close()
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "panic") {
			t.Errorf("%s: %v", name, err)
		}
	}
	s, err := server.New(ctx, server.Config{ListenAddr: "0.0.0.0:8080", PublicBaseURL: "https://auth.example.com/oma/", StoreURL: st, LogOutput: io.Discard, Argon2: server.CheapArgon2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Config().PublicBaseURL; got != "https://auth.example.com/oma" {
		t.Fatalf("base URL %q", got)
	}
}

// The enrollment CA, the demo secret and the policy survive a restart on the
// same store.
func TestStateSurvivesRestart(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	cfg := server.Config{StoreURL: st, LogOutput: io.Discard, Argon2: server.CheapArgon2}
	s1, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	seed1, err := s1.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Admin().SetPolicy(ctx, server.PolicyOverride); err != nil {
		t.Fatal(err)
	}
	ca1 := s1.CACertificate().Raw
	_ = s1.Close()
	s2, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	seed2, err := s2.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(s2.CACertificate().Raw) != string(ca1) {
		t.Fatal("the enrollment CA changed across a restart")
	}
	if seed2 != seed1 {
		t.Fatalf("demo seed changed: %+v vs %+v", seed2, seed1)
	}
	var p string
	_ = s2.Store().View(ctx, func(tx store.Tx) error { p, err = tx.GetSetting(ctx, "mobile_auth_policy"); return err })
	if p != server.PolicyOverride {
		t.Fatalf("policy after restart %q", p)
	}
}
