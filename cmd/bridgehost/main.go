// Command bridgehost runs the real SDK core (core/sdk, started from the same
// SDK configuration as the mobile bridge's Start, answering each call through
// the same per-call path as the bridge's Invoke) and speaks its
// JSON-RPC envelopes as JSON lines: one request per line on standard input, and
// responses and events, interleaved, one per line on standard output. The JS
// package's Node transport and the terminal phone drive the core through it.
//
//	bridgehost [-data DIR] [-log-level warn] [-max-request BYTES]
//
// Every request line gets exactly one answer line. A line longer than
// -max-request is not read into memory: it is skipped and answered with 8009
// (carrying its id when the id appears near the start of the line). Blank lines
// are ignored; a trailing carriage return is stripped. At end of input the core is
// closed (pending calls are answered) and the process exits. Lines whose
// method starts with "bridgehost." are answered by the host itself: they
// script the pure-Go biometric (see control.go).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/sdk"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, in io.Reader, out, errOut io.Writer) int {
	fs := flag.NewFlagSet("bridgehost", flag.ContinueOnError)
	fs.SetOutput(errOut)
	dataDir := fs.String("data", "", "data directory for the pure-Go storage and key store (empty: in memory)")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn, error, disabled")
	maxRequest := fs.Int("max-request", dispatch.DefaultMaxRequestSize, "largest request line in bytes; longer lines are answered with 8009")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *maxRequest <= 0 {
		fmt.Fprintln(errOut, "bridgehost: unexpected arguments; usage: bridgehost [-data DIR] [-log-level LEVEL] [-max-request BYTES]")
		return 2
	}
	w := newOutput(out)
	cfg := sdk.Config{DataDir: *dataDir, LogLevel: *logLevel, MaxRequestSize: *maxRequest}
	core, err := sdk.Start(cfg, nil, nil, nil, w.OnMessage)
	if err != nil {
		w.close()
		fmt.Fprintln(errOut, "bridgehost:", err)
		return 1
	}
	lr := newLineReader(in, *maxRequest)
	status := 0
	for {
		line, tooLong, err := lr.next()
		if tooLong {
			w.OnMessage(oversized(line, *maxRequest))
		} else if answer, ok := control(line, core.SoftBiometric()); ok {
			w.OnMessage(answer)
		} else if len(line) > 0 {
			core.Invoke(string(line), w.OnMessage)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(errOut, "bridgehost: reading input:", err)
			status = 1
			break
		}
	}
	core.Close()
	if err := w.close(); err != nil {
		fmt.Fprintln(errOut, "bridgehost: writing output:", err)
		status = 1
	}
	return status
}

// oversized answers a line that exceeded the limit; prefix is its start.
func oversized(prefix []byte, limit int) string {
	id := dispatch.SalvageID(string(prefix))
	if id == "" {
		id = "null"
	}
	msg, _ := json.Marshal(fmt.Sprintf("request too large: more than %d bytes", limit))
	return `{"jsonrpc":"2.0","id":` + id + `,"error":{"code":` + fmt.Sprint(int(dispatch.CodeBadParameters)) +
		`,"message":` + string(msg) + `,"data":{"domain":"` + dispatch.CodeBadParameters.Domain() + `"}}}`
}
