package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/openmobileauth/oma/core/redact"
	"github.com/openmobileauth/oma/demo"
	"github.com/rs/zerolog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command's flags.
type options struct {
	listen    string
	data      string
	store     string
	baseURL   string
	otpExpiry time.Duration
	logLevel  string
	matching  bool
}

func parseFlags(args []string, errOut io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address to listen on (port 0: a free port)")
	fs.StringVar(&o.data, "data", "oma-data", "data directory of the Token Server (its SQLite database)")
	fs.StringVar(&o.store, "store", "", "store URL (default sqlite:DATA/oma.db)")
	fs.StringVar(&o.baseURL, "base-url", "", "public base URL (default http://LISTEN)")
	fs.DurationVar(&o.otpExpiry, "otp-expiry", 5*time.Minute, "expiry of the demo OTP type (set on every start)")
	fs.StringVar(&o.logLevel, "log-level", "warn", "Token Server log level: debug, info, warn, error")
	fs.BoolVar(&o.matching, "number-matching", false, "every request uses number matching: the page shows a 2-digit number, the phone's user picks it (phone scan OTP --match NN)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if o.otpExpiry < time.Second || o.otpExpiry > 24*time.Hour {
		return o, errors.New("--otp-expiry must be between 1s and 24h")
	}
	return o, nil
}

func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	o, err := parseFlags(args, errOut)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(errOut, "demo:", err)
		return 2
	}
	if err := serve(ctx, o, out); err != nil {
		fmt.Fprintln(errOut, "demo:", err)
		return 1
	}
	return 0
}

// serve starts the Token Server and the demo page on one listener and serves
// until ctx ends.
func serve(ctx context.Context, o options, out io.Writer) error {
	if err := os.MkdirAll(o.data, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	storeURL := o.store
	if storeURL == "" {
		storeURL = "sqlite:" + filepath.Join(o.data, "oma.db")
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another demo running? try --listen 127.0.0.1:0)", o.listen, err)
	}
	defer ln.Close()
	base := strings.TrimRight(o.baseURL, "/")
	if base == "" {
		base = "http://" + ln.Addr().String()
	}

	srv, seed, err := startServer(ctx, o, storeURL, base)
	if err != nil {
		return err
	}
	defer srv.Close()

	level, lerr := zerolog.ParseLevel(o.logLevel)
	if lerr != nil {
		level = zerolog.WarnLevel
	}
	lg := redact.NewLogger(os.Stderr, level).With().Str("component", "demo").Logger()
	page, err := demo.New(demo.Config{
		APIBaseURL: base, ClientID: seed.clientID, ClientSecret: seed.clientSecret, OTPType: seed.otpType, PushOTPType: demoPushType,
		SecureCookies: strings.HasPrefix(base, "https://"), Logger: &lg, NumberMatching: o.matching,
	})
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           routes(srv.Handler(), page),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	printWelcome(out, base, storeURL, seed)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "\nStopping...")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	return nil
}

// routes mounts the demo page at /demo/ (the root redirects there) and the
// Token Server at everything else.
func routes(tokenServer, page http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/demo/", http.StripPrefix("/demo", page))
	mux.Handle("GET /{$}", http.RedirectHandler("/demo/", http.StatusFound))
	mux.Handle("/", tokenServer)
	return mux
}

func printWelcome(out io.Writer, base, storeURL string, seed demoSeed) {
	phone := "go run ./cmd/phone"
	serverFlag := ""
	if base != "http://127.0.0.1:8080" {
		serverFlag = " --server " + base
	}
	fmt.Fprintf(out, `
OMA demo is running.

  Demo page:     %s/demo/
  Token Server:  %s   (store %s)
  API client:    %s   (its secret stays in the server; the page's backend uses it)
  OTP type:      %s   (expires after %s)
  Demo user:     %s / %s

Open %s/ in a browser. Then, in another terminal, be the phone:

  %s register --user %s --password %s --pin 24680%s
  %s enroll --pin 24680

Click "Log in with your phone" and answer with the code shown under the QR code:

  %s scan <OTP>

Push: requests of OTP type %s with user_id wake a listening phone
(Web Push to its own loopback receiver); without one, pull them:

  %s listen
  %s pending

Press Ctrl-C to stop.
`, base, base, storeURL, seed.clientID, seed.otpType, seed.otpExpiry, seed.user, seed.password, base,
		phone, seed.user, seed.password, serverFlag, phone, phone, demoPushType, phone, phone)
}
