package server_test

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/server"
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
