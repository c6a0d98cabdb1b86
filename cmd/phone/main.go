package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// defaultServer is the Token Server the demo command starts.
const defaultServer = "http://127.0.0.1:8080"

// options are the flags of every command.
type options struct {
	data, server, logLevel, profile string
	insecure                        bool
	user, password, pin             string
	browser                         bool
	qr                              string
	accept, deny                    bool
	match                           string // number matching: the number shown on the web page
	notMe                           bool   // deny with "this wasn't me"
	biometric                       string // scripted fingerprint outcomes, or "pin" (fall back)
	jsonOut                         bool
	timeout                         time.Duration
	listen                          string
	count                           int
}

const usage = `Usage: phone <command> [flags] [arguments]

Commands:
  register     register a user (logs in on the server's login page, creates a PIN)
  login        authenticate with the PIN (alias: authenticate)
  enroll       authenticate, then enroll this phone for mobile authentication
  scan OTP     answer a mobile authentication request (or --qr FILE)
  status       show the server, the registered users and their enrollment
  deregister   remove the registered user from this phone and the server
  listen       receive push requests (Web Push to a loopback receiver) and answer them
  pending      answer the open push requests (the pull path)
  biometric    authenticate, then register the fingerprint authenticator (scripted
               on this phone: see --biometric) and make it the preferred one
  sso URL      authenticate, then print a one-time address that signs a browser in
               as the user and opens URL (app-to-web single sign-on; the operator
               allow-lists URL: tokenserver app update --id oma-app --sso-target URL)

Flags:
`

// usageError is bad usage (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func newFlagSet(o *options, errOut io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("phone", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.data, "data", "oma-phone", "data directory of this phone (keys, storage); one per phone")
	fs.StringVar(&o.server, "server", "", "Token Server base URL (default: remembered, else "+defaultServer+")")
	fs.StringVar(&o.profile, "profile", "", "profile id to use when the phone has several registered users")
	fs.BoolVar(&o.insecure, "insecure", false, "allow plain HTTP to a server that is not on loopback")
	fs.StringVar(&o.user, "user", "", "register: log in on the login page with this username")
	fs.StringVar(&o.password, "password", "", "register: the password for --user")
	fs.BoolVar(&o.browser, "browser", false, "register: log in yourself in a browser and paste the redirect address")
	fs.StringVar(&o.pin, "pin", "", "the PIN to create (register) or to authenticate with (login, enroll)")
	fs.StringVar(&o.qr, "qr", "", "scan: read the OTP from this QR code image (PNG, JPEG or GIF)")
	fs.BoolVar(&o.accept, "accept", false, "scan, listen, pending: accept without asking")
	fs.BoolVar(&o.deny, "deny", false, "scan, listen, pending: deny without asking")
	fs.StringVar(&o.match, "match", "", "scan, listen, pending: with --accept, the number the web page shows (number matching)")
	fs.BoolVar(&o.notMe, "not-me", false, "scan, listen, pending: deny as \"this wasn't me\" (the server suspends requests for the user)")
	fs.StringVar(&o.biometric, "biometric", "", "scan, listen, pending: when accepting asks for the fingerprint, the scripted biometric plays these outcomes (comma-separated: success, fail, cancel, lockout, changed; default success), or pin: fall back to the PIN")
	fs.BoolVar(&o.jsonOut, "json", false, "status: print JSON")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "how long a flow may take (listen: how long to wait for a push)")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "listen: address of the push receiver")
	fs.IntVar(&o.count, "count", 0, "listen: stop after this many pushes (0: until --timeout passes without one)")
	fs.StringVar(&o.logLevel, "log-level", "error", "SDK core log level: debug, info, warn, error, disabled")
	fs.Usage = func() {
		fmt.Fprint(errOut, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may be interspersed with arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func run(args []string, in io.Reader, out, errOut io.Writer) int {
	var o options
	fs := newFlagSet(&o, errOut)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fs.Usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	// Flags may come before the command too (phone --server URL status).
	pos, err := parse(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(pos) == 0 {
		fmt.Fprintln(errOut, "phone: no command given (run phone --help)")
		return 2
	}
	cmd, pos := pos[0], pos[1:]
	p := &phone{o: o, out: out, ask: newPrompter(in, out)}
	switch cmd {
	case "register":
		err = p.withCore(pos, 0, p.register)
	case "login", "authenticate":
		err = p.withCore(pos, 0, p.login)
	case "enroll":
		err = p.withCore(pos, 0, p.enroll)
	case "scan":
		err = p.withCore(pos, 1, p.scan)
	case "status":
		err = p.withCore(pos, 0, p.status)
	case "deregister":
		err = p.withCore(pos, 0, p.deregister)
	case "listen":
		err = p.withCore(pos, 0, p.listen)
	case "pending":
		err = p.withCore(pos, 0, p.pending)
	case "biometric":
		err = p.withCore(pos, 0, p.registerBiometric)
	case "sso":
		err = p.withCore(pos, 1, p.sso)
	default:
		err = usageError{fmt.Sprintf("unknown command %q (run phone --help)", cmd)}
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(errOut, "phone:", err)
	if h := hint(cmd, err); h != "" {
		fmt.Fprintln(errOut, "phone:", h)
	}
	if c := codeOf(err); c == 9000 || c == 9001 {
		fmt.Fprintln(errOut, "phone: is the Token Server running (go run ./cmd/demo), and is --server right?")
	}
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// phone is one run of a command.
type phone struct {
	o   options
	out io.Writer
	ask *prompter
	c   *core

	loginName string // the user name register logged in with
}

func (p *phone) printf(format string, args ...any) { fmt.Fprintf(p.out, format, args...) }

// settings are what the phone remembers between runs (besides the SDK's own
// storage): the server it talks to.
type settings struct {
	Server string            `json:"server"`
	Users  map[string]string `json:"users,omitempty"` // profile id → user name logged in with
}

func (p *phone) settingsPath() string { return filepath.Join(p.o.data, "phone.json") }

// resolveServer picks the server URL: the flag, else the remembered one, else
// the default; a flag value is remembered for the next runs.
func (p *phone) resolveServer() (string, error) {
	s := p.loadSettings()
	if p.o.server != "" {
		u := strings.TrimRight(p.o.server, "/")
		if u != s.Server {
			s.Server = u
			if err := p.saveSettings(s); err != nil {
				return "", err
			}
		}
		return u, nil
	}
	if s.Server != "" {
		return s.Server, nil
	}
	return defaultServer, nil
}

// withCore checks the argument count, starts the core and the client, runs fn
// and closes the core.
func (p *phone) withCore(pos []string, nargs int, fn func(args []string) error) error {
	if len(pos) != nargs && !(nargs == 1 && len(pos) == 0 && p.o.qr != "") {
		if nargs == 0 {
			return usageError{fmt.Sprintf("unexpected arguments: %s", strings.Join(pos, " "))}
		}
		return usageError{"scan needs the OTP (or --qr FILE)"}
	}
	if p.o.accept && p.o.deny {
		return usageError{"--accept and --deny exclude each other"}
	}
	if err := os.MkdirAll(p.o.data, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	server, err := p.resolveServer()
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	script, err := biometricScript(p.o.biometric)
	if err != nil {
		return err
	}
	c, err := startCore(filepath.Join(p.o.data, "sdk"), p.o.logLevel, script)
	if err != nil {
		return err
	}
	p.c = c
	defer c.close()
	params := map[string]any{"serverUrl": server}
	if p.o.insecure {
		params["allowInsecureHttp"] = true
	}
	if err := c.callSync("startClient", params, nil); err != nil {
		return fmt.Errorf("starting the client with %s: %w", server, err)
	}
	return fn(pos)
}
