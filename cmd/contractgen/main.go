// Command contractgen writes the contract shared by the Go core and the JS
// package (methods, events, actions, error codes) as JSON, to standard output or
// to the file named by -o. CI regenerates it and fails when the committed copy
// differs.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
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

func main() {
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	c := Contract{
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
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		fmt.Fprintln(os.Stderr, "contractgen:", err)
		os.Exit(1)
	}
	b = append(b, '\n')
	if *out == "" {
		os.Stdout.Write(b)
		return
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "contractgen:", err)
		os.Exit(1)
	}
}
