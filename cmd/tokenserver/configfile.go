package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/openmobileauth/oma/server"
)

// The configuration file (--config FILE or OMA_CONFIG) is one YAML mapping
// whose keys are flag names without the dashes in front:
//
//	listen: 0.0.0.0:8443
//	base-url: https://auth.example.com
//	store: postgres://oma@db.internal/oma?sslmode=verify-full
//	admin-listen: 127.0.0.1:9090
//	callback-backoff: 2s
//
// Precedence, for every flag of every command: a flag on the command line,
// then its OMA_* variable, then the file, then the built-in default. For
// `serve` (and `config check`) an unknown key is an error; other commands
// take the keys they have (store) and ignore the rest, so one file serves
// them all. Lists are YAML sequences; durations are Go durations ("90s").

// errConfigFile prefixes every configuration-file error.
var errConfigFile = errors.New("config file")

// readConfigFile reads path's mapping as flag name → values (a scalar is
// one value, a sequence several).
func readConfigFile(path string) (map[string][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errConfigFile, err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w %s: %v", errConfigFile, path, err)
	}
	out := make(map[string][]string, len(raw))
	for k, v := range raw {
		switch x := v.(type) {
		case nil:
			return nil, fmt.Errorf("%w %s: %q has no value", errConfigFile, path, k)
		case []any:
			for _, e := range x {
				s, ok := scalar(e)
				if !ok {
					return nil, fmt.Errorf("%w %s: %q: a list of plain values is expected", errConfigFile, path, k)
				}
				out[k] = append(out[k], s)
			}
		default:
			s, ok := scalar(x)
			if !ok {
				return nil, fmt.Errorf("%w %s: %q: nested mappings are not supported (keys are flag names)", errConfigFile, path, k)
			}
			out[k] = []string{s}
		}
	}
	return out, nil
}

func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// envName is a flag's OMA_* variable.
func envName(flagName string) string {
	return "OMA_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// applyConfigFile sets, from the file at path, every flag of fs given
// neither on the command line nor in the environment. strict refuses keys
// fs does not have.
func applyConfigFile(fs *flag.FlagSet, path string, strict bool) error {
	vals, err := readConfigFile(path)
	if err != nil {
		return err
	}
	onCmdLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCmdLine[f.Name] = true })
	applied := map[string]bool{}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := fs.Lookup(k)
		if f == nil || k == "config" {
			if strict {
				return fmt.Errorf("%w %s: unknown key %q (keys are the flag names of \"tokenserver %s -h\")", errConfigFile, path, k, fs.Name())
			}
			continue
		}
		if _, inEnv := os.LookupEnv(envName(k)); onCmdLine[k] || inEnv {
			continue
		}
		for _, v := range vals[k] {
			if err := fs.Set(k, v); err != nil {
				return fmt.Errorf("%w %s: %q: %v", errConfigFile, path, k, err)
			}
		}
		applied[k] = true
	}
	fromFile.Store(fs, applied)
	return nil
}

// fromFile remembers, per flag set, the flags the file set (for the
// sources printed by config check).
var fromFile sync.Map // *flag.FlagSet → map[string]bool

// secretFlag reports whether a flag's value is a secret (its value is
// never printed); paths to files holding secrets are not.
func secretFlag(name string) bool {
	if strings.HasSuffix(name, "-file") || strings.HasPrefix(name, "allow-") {
		return false // a file's path; a switch (allow-private-egress)
	}
	for _, w := range []string{"secret", "password", "token", "master-key", "private"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// redactValue hides secrets in a flag's value: the whole value of a secret
// flag, the password in a URL (user info or a password= parameter).
func redactValue(name, v string) string {
	if v == "" {
		return v
	}
	if secretFlag(name) {
		return "***"
	}
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && (u.User != nil || u.Query().Has("password")) {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxx")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxx")
			u.RawQuery = q.Encode()
		}
		return strings.ReplaceAll(u.String(), "xxx", "***")
	}
	return v
}

// printEffective prints every flag of fs with its effective value (secrets
// redacted) and where it came from, then the derived server values.
func printEffective(w io.Writer, fs *flag.FlagSet, cfg server.Config) error {
	path := fs.Lookup("config").Value.String()
	if path != "" {
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			fmt.Fprintf(w, "# warning: %s is readable by other users (mode %v); keep secrets out of it or make it 0600\n", path, st.Mode().Perm())
		}
	}
	file := map[string]bool{}
	if m, ok := fromFile.Load(fs); ok {
		file = m.(map[string]bool)
	}
	onCmdLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCmdLine[f.Name] = !file[f.Name] })
	fmt.Fprintf(w, "# effective configuration (precedence: flag > OMA_* environment > file %q > default)\n", path)
	fs.VisitAll(func(f *flag.Flag) {
		src := "default"
		_, inEnv := os.LookupEnv(envName(f.Name))
		inFile := file[f.Name]
		switch {
		case onCmdLine[f.Name]:
			src = "flag"
		case inEnv:
			src = "env " + envName(f.Name)
		case inFile:
			src = "file"
		}
		fmt.Fprintf(w, "%-18s %-40s # %s\n", f.Name+":", strconv.Quote(redactValue(f.Name, f.Value.String())), src)
	})
	fmt.Fprintf(w, "# derived\n%-18s %q\n%-18s %q\n%-18s %q\n", "public base URL:", cfg.PublicBaseURL, "store:", redactValue("store", cfg.StoreURL), "admin listener:", cfg.AdminListenAddr)
	return nil
}

// configCmd: tokenserver config check [serve flags...]
func configCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: tokenserver config check [--config FILE] [serve flags...]")
		return errUsage
	}
	return runServe(ctx, args[1:], stdout, stderr, true)
}
