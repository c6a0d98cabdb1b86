package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

var hostBinary string

// TestMain builds the real command once; the subprocess tests run it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bridgehost-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	hostBinary = filepath.Join(dir, "bridgehost")
	cmd := exec.Command(goBin, "build", "-o", hostBinary, ".")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building bridgehost:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// host is a running bridgehost subprocess.
type host struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Scanner
	stderr bytes.Buffer
}

func startHost(t *testing.T, args ...string) *host {
	t.Helper()
	h := &host{cmd: exec.Command(hostBinary, args...)}
	var err error
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := h.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	h.cmd.Stderr = &h.stderr
	h.stdout = bufio.NewScanner(out)
	h.stdout.Buffer(make([]byte, 64<<10), 16<<20)
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.cmd.Process.Kill(); _ = h.cmd.Wait() })
	return h
}

// readAll reads answer lines until the host closes its output.
func (h *host) readAll(t *testing.T) []string {
	t.Helper()
	var lines []string
	for h.stdout.Scan() {
		lines = append(lines, h.stdout.Text())
	}
	if err := h.stdout.Err(); err != nil {
		t.Fatalf("reading host output: %v", err)
	}
	return lines
}

func (h *host) wait(t *testing.T) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- h.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("host exited with %v; stderr: %s", err, h.stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("host did not exit after end of input")
	}
}

func TestPipelinedBurst(t *testing.T) {
	const n = 10000
	h := startHost(t, "-log-level", "disabled")
	kinds := []string{
		`{"jsonrpc":"2.0","id":%d,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":%d,"method":"getVersion","params":{}}`,
		`{"jsonrpc":"2.0","id":%d,"method":"noSuchMethod"}`,
		`{"jsonrpc":"2.0","id":%d,"method":"ping","params":[1]}`,
		`{"id":%d,"method":"ping"}`,
	}
	go func() {
		w := bufio.NewWriter(h.stdin)
		for i := 0; i < n; i++ {
			fmt.Fprintf(w, kinds[i%len(kinds)]+"\n", i)
		}
		w.Flush()
		h.stdin.Close()
	}()
	lines := h.readAll(t)
	h.wait(t)
	if len(lines) != n {
		t.Fatalf("want %d answers, got %d", n, len(lines))
	}
	seen := make([]int, n)
	for _, l := range lines {
		if !json.Valid([]byte(l)) || gjson.Get(l, "jsonrpc").String() != "2.0" {
			t.Fatalf("malformed answer %q", l)
		}
		id := gjson.Get(l, "id")
		if id.Type != gjson.Number || id.Int() < 0 || id.Int() >= n {
			t.Fatalf("answer with unexpected id: %s", l)
		}
		i := int(id.Int())
		seen[i]++
		switch i % len(kinds) {
		case 0:
			if gjson.Get(l, "result.pong").Bool() != true {
				t.Fatalf("ping %d answered %s", i, l)
			}
		case 1:
			if gjson.Get(l, "result.version").String() == "" {
				t.Fatalf("getVersion %d answered %s", i, l)
			}
		case 2:
			if gjson.Get(l, "error.code").Int() != 8011 {
				t.Fatalf("unknown method %d answered %s", i, l)
			}
		default:
			if gjson.Get(l, "error.code").Int() != 8009 {
				t.Fatalf("bad request %d answered %s", i, l)
			}
		}
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("id %d answered %d times", i, c)
		}
	}
}

func TestOversizedLines(t *testing.T) {
	h := startHost(t, "-log-level", "disabled")
	huge := 9 << 20 // beyond any read buffer and the 1 MiB request limit
	inputs := []string{
		`{"jsonrpc":"2.0","id":1,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":"` + strings.Repeat("x", huge) + `"}}`,
		`{"jsonrpc":"2.0","id":3,"method":"ping"}`,
		strings.Repeat("y", huge), // no id at all
		`{"jsonrpc":"2.0","id":"just-over","method":"ping","params":{"pad":"` + strings.Repeat("z", 1<<20) + `"}}`,
		`{"jsonrpc":"2.0","id":"just-under","method":"ping","params":{"pad":"` + strings.Repeat("z", 1<<20-100) + `"}}`,
		"",
		`{"jsonrpc":"2.0","id":5,"method":"ping"}` + "\r",
		`{"jsonrpc":"2.0","id":6,"method":"ping"}`, // last line without newline
	}
	go func() {
		for i, in := range inputs {
			io.WriteString(h.stdin, in)
			if i < len(inputs)-1 {
				io.WriteString(h.stdin, "\n")
			}
		}
		h.stdin.Close()
	}()
	lines := h.readAll(t)
	h.wait(t)
	byID := map[string]string{}
	for _, l := range lines {
		id := gjson.Get(l, "id").Raw
		if _, dup := byID[id]; dup {
			t.Fatalf("id %s answered twice", id)
		}
		byID[id] = l
	}
	if len(lines) != 8 {
		t.Fatalf("want 8 answers, got %d: %.300q", len(lines), lines)
	}
	for _, id := range []string{"1", "3", "5", "6", `"just-under"`} {
		if gjson.Get(byID[id], "result.pong").Bool() != true {
			t.Fatalf("id %s answered %.200s", id, byID[id])
		}
	}
	for _, id := range []string{"2", "null", `"just-over"`} {
		l := byID[id]
		if gjson.Get(l, "error.code").Int() != 8009 || !strings.Contains(gjson.Get(l, "error.message").String(), "too large") {
			t.Fatalf("oversized line %s answered %.200s", id, l)
		}
	}
	if h.stderr.Len() != 0 {
		t.Fatalf("stderr: %s", h.stderr.String())
	}
}

func TestRunInProcess(t *testing.T) {
	dir := t.TempDir()
	in := strings.NewReader("\n" +
		`{"jsonrpc":"2.0","id":1,"method":"ping"}` + "\r\n" +
		`{"jsonrpc":"2.0","id":2,"method":"ping","params":{"p":"` + strings.Repeat("a", 300) + `"}}` + "\n" +
		`not json` + "\n" +
		`{"jsonrpc":"2.0","id":3,"method":"getVersion"}`)
	var out, errOut bytes.Buffer
	if code := run([]string{"-data", dir, "-max-request", "256", "-log-level", "disabled"}, in, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 answers, got %q", lines)
	}
	got := map[string]int64{}
	for _, l := range lines {
		got[gjson.Get(l, "id").Raw] = gjson.Get(l, "error.code").Int()
	}
	if got["1"] != 0 || got["2"] != 8009 || got["null"] != 8009 || got["3"] != 0 {
		t.Fatalf("answers: %q", lines)
	}
	if _, err := os.Stat(filepath.Join(dir, ".storage-key")); err != nil {
		t.Fatalf("-data not used: %v", err)
	}
}

func TestRunBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"-max-request", "0"}} {
		var out, errOut bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errOut); code != 2 {
			t.Fatalf("%v: exit %d", args, code)
		}
		if errOut.Len() == 0 {
			t.Fatalf("%v: no message", args)
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-data", "/proc/version/x"}, strings.NewReader(""), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "8001") {
		t.Fatalf("unusable data dir: exit %d, %s", code, errOut.String())
	}
}

// failingWriter fails every write, like a closed standard output.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestRunOutputClosed(t *testing.T) {
	var errOut bytes.Buffer
	in := strings.NewReader(strings.Repeat(`{"jsonrpc":"2.0","id":1,"method":"ping"}`+"\n", 100))
	if code := run([]string{"-log-level", "disabled"}, in, failingWriter{}, &errOut); code != 1 || !strings.Contains(errOut.String(), "writing output") {
		t.Fatalf("exit %d, %s", code, errOut.String())
	}
}
