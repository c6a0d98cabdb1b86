package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"strconv"
	"strings"
)

var errUsage = errors.New("usage")

// newFlags makes a flag set whose defaults can come from OMA_* variables.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// env returns OMA_<NAME> or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv("OMA_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); ok {
		return v
	}
	return def
}

// envInt returns OMA_<NAME> as an integer, def when unset, -1 when not a
// number (the flag's check then refuses it).
func envInt(name string, def int) int {
	v := env(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// parse parses args, mapping -h and bad flags to errUsage, and then
// applies the configuration file (--config or OMA_CONFIG; see
// configfile.go) to the flags not given otherwise.
func parse(fs *flag.FlagSet, args []string) error {
	cfgFile := fs.String("config", env("config", ""), "configuration file (YAML; keys are flag names; flags and OMA_* variables take precedence)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *cfgFile == "" {
		return nil
	}
	return applyConfigFile(fs, *cfgFile, fs.Name() == "serve")
}

// multi is a repeatable string flag.
type multi []string

// String implements flag.Value.
func (m *multi) String() string { return strings.Join(*m, ",") }

// Set implements flag.Value (each use appends).
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

const defaultStore = "sqlite:./oma-data/oma.db"

// isSet reports whether flag name was given on the command line or as its
// OMA_* variable.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	_, inEnv := os.LookupEnv("OMA_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")))
	return set || inEnv
}
