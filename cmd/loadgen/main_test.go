package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), append(args, "--json"), &out, &errb); err != nil {
		t.Fatalf("loadgen %v: %v\n%s", args, err, errb.String())
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out.String())
	}
	if rep["errors"].(float64) != 0 || rep["ok"].(float64) < 1 {
		t.Fatalf("loadgen %v: %v\n%s", args, rep, errb.String())
	}
	return rep
}

// Smoke runs of the command with tiny numbers so it cannot rot: an in-process
// server on each store, real devices, real transactions. Throughput is not
// asserted.
func TestInProcessSQLite(t *testing.T) {
	rep := runJSON(t, "--serve", "sqlite", "--devices", "2", "--concurrency", "2", "--count", "20", "--duration", "30s", "--warmup", "0", "--callback")
	if rep["ok"].(float64) != 20 || rep["model"] != "closed" {
		t.Fatalf("want 20 closed-model transactions: %v", rep)
	}
}

// The net/http client stays available for comparison (the default is the
// fast one).
func TestStdClient(t *testing.T) {
	rep := runJSON(t, "--serve", "memory", "--client", "std", "--devices", "2", "--concurrency", "2", "--count", "10", "--duration", "30s", "--warmup", "0")
	if rep["ok"].(float64) != 10 {
		t.Fatalf("want 10 transactions: %v", rep)
	}
}

func TestInProcessMemoryOpenModel(t *testing.T) {
	rep := runJSON(t, "--serve", "memory", "--devices", "2", "--rate", "50", "--duration", "400ms", "--warmup", "100ms")
	if rep["model"] != "open" {
		t.Fatalf("want the open model: %v", rep)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--serve", "memory", "--devices", "1", "--concurrency", "1", "--count", "5", "--warmup", "0", "--repeat", "3"}, &out, &errb); err != nil {
		t.Fatalf("--repeat: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "--- run 3 of 3") || !strings.Contains(out.String(), "--- median of 3 runs") {
		t.Fatalf("--repeat output:\n%s", out.String())
	}
}

func TestInProcessPostgres(t *testing.T) {
	if os.Getenv("OMA_TEST_POSTGRES_URL") == "" {
		t.Skip("OMA_TEST_POSTGRES_URL not set; scripts/pg.sh provides a throwaway cluster")
	}
	runJSON(t, "--serve", "postgres", "--devices", "2", "--concurrency", "2", "--count", "20", "--duration", "30s", "--warmup", "0")
}

func TestSubprocess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/tokenserver")
	}
	bin := filepath.Join(t.TempDir(), "tokenserver")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/openmobileauth/oma/cmd/tokenserver").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rep := runJSON(t, "--serve", "sqlite", "--subprocess", bin, "--devices", "2", "--concurrency", "2", "--count", "10", "--duration", "30s", "--warmup", "0")
	if _, ok := rep["server_process_cpu_s"]; !ok {
		t.Fatalf("subprocess CPU missing from the report: %v", rep)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--url", "http://127.0.0.1:1", "--serve", "sqlite"},
		{"--serve", "mysql"},
		{"--subprocess", "/bin/true"},
		{"--serve", "memory", "--devices", "0"},
		{"--serve", "memory", "--rate", "-1"},
		{"--serve", "memory", "--duration", "0"},
		{"--serve", "memory", "extra"},
		{"--serve", "memory", "--repeat", "0"},
		{"--serve", "memory", "--client", "curl"},
		{"--url", "http://127.0.0.1:1"}, // no secret
	} {
		var out, errb bytes.Buffer
		t.Setenv("OMA_LOADGEN_SECRET", "")
		err := run(context.Background(), args, &out, &errb)
		if err == nil {
			t.Errorf("loadgen %v: accepted", args)
		} else if strings.Contains(err.Error(), "panic") {
			t.Errorf("loadgen %v: %v", args, err)
		}
	}
}
