package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tokenserver.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// line returns the output line of flag name.
func line(out, name string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, name+":") {
			return l
		}
	}
	return ""
}

// Precedence: flag > OMA_* variable > file > default, shown with sources.
func TestConfigFilePrecedence(t *testing.T) {
	f := writeFile(t, "listen: 127.0.0.1:7001\nlog-level: debug\npolicy: override\nadmin-listen: 127.0.0.1:7002\nbase-url: https://auth.example.com\n")
	t.Setenv("OMA_LOG_LEVEL", "warn")
	c, out, e := runCmd(t, "config", "check", "--config", f, "--listen", "127.0.0.1:7003")
	if c != 0 {
		t.Fatalf("config check: %d %s", c, e)
	}
	for name, want := range map[string]string{
		"listen":       `"127.0.0.1:7003"` + "                         # flag",
		"log-level":    `"warn"`,
		"policy":       `"override"`,
		"admin-listen": `"127.0.0.1:7002"`,
		"pin-length":   "",
	} {
		l := line(out, name)
		if want != "" && !strings.Contains(l, want) {
			t.Errorf("%s: %q, want %q", name, l, want)
		}
	}
	if !strings.HasSuffix(line(out, "log-level"), "# env OMA_LOG_LEVEL") || !strings.HasSuffix(line(out, "policy"), "# file") ||
		!strings.HasSuffix(line(out, "gogc"), "# default") {
		t.Errorf("sources wrong:\n%s", out)
	}
	if !strings.Contains(out, `"https://auth.example.com"`) {
		t.Errorf("derived base URL missing:\n%s", out)
	}
}

func TestConfigFileSecretsRedacted(t *testing.T) {
	f := writeFile(t, "store: postgres://oma:s3cr3t-pw@db.internal/oma?sslmode=verify-full\n")
	c, out, e := runCmd(t, "config", "check", "--config", f)
	if c != 0 {
		t.Fatalf("config check: %d %s", c, e)
	}
	if strings.Contains(out, "s3cr3t-pw") {
		t.Fatalf("password printed:\n%s", out)
	}
	if !strings.Contains(line(out, "store"), "postgres://oma:%2A%2A%2A@db.internal/oma?sslmode=verify-full") && !strings.Contains(line(out, "store"), "oma:***@db.internal") {
		t.Fatalf("store line %q", line(out, "store"))
	}
	f2 := writeFile(t, "store: postgres://db.internal/oma?user=oma&password=s3cr3t-pw\n")
	if _, out, _ := runCmd(t, "config", "check", "--config", f2); strings.Contains(out, "s3cr3t-pw") {
		t.Fatalf("password parameter printed:\n%s", out)
	}
}

// Bad files and values fail with a clear message and exit status 1.
func TestConfigFileErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"lisen: 127.0.0.1:1\n", `unknown key "lisen"`},
		{"callback-backoff: soon\n", `"callback-backoff"`},
		{"listen: [a, {b: c}]\n", "list of plain values"},
		{"tls: {cert: x}\n", "nested mappings"},
		{"listen: :1\n  bad indent: x\n", "config file"},
		{"policy: sometimes\n", `unknown policy "sometimes"`},
		{"log-level: loud\n", `unknown log level "loud"`},
		{"listen: 0.0.0.0:8080\n", "needs PublicBaseURL"},
	} {
		c, _, e := runCmd(t, "config", "check", "--config", writeFile(t, tc.body))
		if c != 1 || !strings.Contains(e, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 1 and %q", tc.body, c, e, tc.want)
		}
	}
	if c, _, e := runCmd(t, "config", "check", "--config", filepath.Join(t.TempDir(), "missing.yaml")); c != 1 || !strings.Contains(e, "config file") {
		t.Errorf("missing file: %d %q", c, e)
	}
	if c, _, _ := runCmd(t, "config"); c != 2 {
		t.Errorf("config without check: exit %d, want 2", c)
	}
}

// Other commands read the keys they have (store) from the same file and
// ignore serve's; OMA_CONFIG names the file.
func TestConfigFileSharedByCommands(t *testing.T) {
	st := "sqlite:" + filepath.Join(t.TempDir(), "oma.db")
	f := writeFile(t, "store: "+st+"\nlisten: 127.0.0.1:7001\n")
	t.Setenv("OMA_CONFIG", f)
	if c, _, e := runCmd(t, "api-client", "create", "--id", "shop"); c != 0 {
		t.Fatalf("api-client create: %d %s", c, e)
	}
	t.Setenv("OMA_CONFIG", "")
	if c, out, e := runCmd(t, "api-client", "list", "--store", st); c != 0 || !strings.Contains(out, "shop") {
		t.Fatalf("the file's store was not used: %d %q %s", c, out, e)
	}
}
