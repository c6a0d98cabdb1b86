// Command contractgen writes the contract shared by the Go core and the JS
// package (methods, events, actions, error codes) as JSON, to standard output or
// to the file named by -o. CI regenerates it and fails when the committed copy
// differs.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
)

// Contract is the generated document.
type Contract struct {
	Methods []string            `json:"methods"`
	Events  []string            `json:"events"`
	Actions map[string]string   `json:"actions"`
	Codes   []dispatch.CodeInfo `json:"codes"`
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// build assembles the contract from the Go sources of truth.
func build() Contract {
	return Contract{
		Methods: api.Methods,
		Events:  api.Events,
		Actions: map[string]string{
			"Open": api.ActionOpen, "Close": api.ActionClose, "PinNotAllowed": api.ActionPinNotAllowed,
			"IncorrectPin": api.ActionIncorrectPin, "StartAuthentication": api.ActionStartAuthentication,
			"FinishAuthentication": api.ActionFinishAuthentication, "FlowCreate": api.FlowCreate,
			"FlowAuthentication": api.FlowAuthentication,
		},
		Codes: dispatch.CodeTable(),
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("contractgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output file (default standard output)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	b, err := json.MarshalIndent(build(), "", "  ")
	if err != nil {
		fmt.Fprintln(stderr, "contractgen:", err)
		return 1
	}
	b = append(b, '\n')
	if *out == "" {
		if _, err := stdout.Write(b); err != nil {
			fmt.Fprintln(stderr, "contractgen:", err)
			return 1
		}
		return 0
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(stderr, "contractgen:", err)
		return 1
	}
	return 0
}
