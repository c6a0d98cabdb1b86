// Command bridgehost runs the real SDK core behind the real bridge and speaks its
// JSON-RPC envelopes as JSON lines: one request per line on standard input, and
// responses and events, interleaved, one per line on standard output. The JS
// package's Node transport and the terminal phone drive the core through it.
//
//	bridgehost -data DIR [-log-level warn]
//
// At end of input it closes the core (pending calls are answered) and exits.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/openmobileauth/oma/bridge"
)

type lineWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lineWriter) OnMessage(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.WriteString(msg)
	l.w.WriteByte('\n')
	l.w.Flush()
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, in io.Reader, out, errOut io.Writer) int {
	fs := flag.NewFlagSet("bridgehost", flag.ContinueOnError)
	fs.SetOutput(errOut)
	dataDir := fs.String("data", "", "data directory for the pure-Go storage and key store (empty: in memory)")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn, error, disabled")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, _ := json.Marshal(map[string]string{"dataDir": *dataDir, "logLevel": *logLevel})
	lw := &lineWriter{w: bufio.NewWriterSize(out, 64<<10)}
	if err := bridge.Start(string(cfg), lw, nil, nil); err != nil {
		fmt.Fprintln(errOut, "bridgehost:", err)
		return 1
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	for sc.Scan() {
		line := sc.Text()
		if len(line) == 0 {
			continue
		}
		bridge.Call(line)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(errOut, "bridgehost: reading input:", err)
	}
	bridge.Close()
	return 0
}
