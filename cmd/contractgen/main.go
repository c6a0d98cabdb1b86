// Command contractgen generates the SDK contract shared by the Go core and the
// JS package from the declarations in core/api (DESIGN §11):
//
//	js/src/generated/contract.json  the machine-readable schema (JSON Schema subset)
//	js/src/generated/contract.ts    method table, params/result/event payload types
//	                                and the schema tables of the runtime validators
//	js/README.md                    the method table between the contractgen markers
//
// The TypeScript and the README table are rendered from the schema alone (the
// JSON is parsed back before rendering). Usage:
//
//	go run ./cmd/contractgen -write   write the generated files (from the repository root)
//	go run ./cmd/contractgen -check   exit 1 when a generated file is stale (CI)
//	go run ./cmd/contractgen -o FILE  write only the schema to FILE ("-": standard output)
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The generated files, relative to the repository root.
const (
	schemaPath = "js/src/generated/contract.json"
	tsPath     = "js/src/generated/contract.ts"
	readmePath = "js/README.md"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// schemaJSON is the schema document as written.
func schemaJSON() ([]byte, error) {
	b, err := json.MarshalIndent(build(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// outputs renders every generated file from the schema document; readme is the
// current js/README.md (its marked block is replaced).
func outputs(schemaDoc []byte, readme string) (map[string][]byte, error) {
	var s Schema
	if err := json.Unmarshal(schemaDoc, &s); err != nil {
		return nil, fmt.Errorf("reading the schema back: %w", err)
	}
	r, err := spliceReadme(readme, readmeTable(s))
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		schemaPath: schemaDoc,
		tsPath:     []byte(typescript(s)),
		readmePath: []byte(r),
	}, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("contractgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write only the schema to this file (\"-\" for standard output)")
	write := fs.Bool("write", false, "write every generated file under -root")
	check := fs.Bool("check", false, "fail when a generated file under -root is stale")
	root := fs.String("root", ".", "the repository root")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	doc, err := schemaJSON()
	if err != nil {
		fmt.Fprintln(stderr, "contractgen:", err)
		return 1
	}
	switch {
	case *write || *check:
		readme, err := os.ReadFile(filepath.Join(*root, readmePath))
		if err != nil {
			fmt.Fprintln(stderr, "contractgen:", err)
			return 1
		}
		files, err := outputs(doc, string(readme))
		if err != nil {
			fmt.Fprintln(stderr, "contractgen:", err)
			return 1
		}
		stale := 0
		for _, p := range []string{schemaPath, tsPath, readmePath} {
			full := filepath.Join(*root, p)
			have, _ := os.ReadFile(full)
			if bytes.Equal(have, files[p]) {
				continue
			}
			if *check {
				fmt.Fprintf(stderr, "contractgen: %s is stale: run go run ./cmd/contractgen -write\n", p)
				stale++
				continue
			}
			if err := os.WriteFile(full, files[p], 0o644); err != nil {
				fmt.Fprintln(stderr, "contractgen:", err)
				return 1
			}
			fmt.Fprintf(stdout, "contractgen: wrote %s\n", p)
		}
		if stale > 0 {
			return 1
		}
		if *check {
			fmt.Fprintln(stdout, "contractgen: generated files are up to date")
		}
		return 0
	case *out == "" || *out == "-":
		if _, err := stdout.Write(doc); err != nil {
			fmt.Fprintln(stderr, "contractgen:", err)
			return 1
		}
		return 0
	default:
		if err := os.WriteFile(*out, doc, 0o644); err != nil {
			fmt.Fprintln(stderr, "contractgen:", err)
			return 1
		}
		return 0
	}
}
