package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/auditwebhook"
	"github.com/openmobileauth/oma/server/push"
	"github.com/openmobileauth/oma/server/ratelimit"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runServe(ctx, args, stdout, stderr, false)
}

// runServe is serve, or with checkOnly `config check`: the configuration
// is built and validated as serve would, printed (secrets redacted), and
// nothing is started.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, checkOnly bool) error {
	fs := newFlags("serve", stderr)
	listen := fs.String("listen", env("listen", "127.0.0.1:8080"), "listen address")
	adminListen := fs.String("admin-listen", env("admin-listen", "127.0.0.1:9090"), "admin listener: Prometheus /metrics and /healthz/{live,ready} (keep it private; \"off\" disables it)")
	baseURL := fs.String("base-url", env("base-url", ""), "public base URL (default http(s)://<listen>)")
	storeURL := fs.String("store", env("store", defaultStore), "store: sqlite:PATH, sqlite::memory: or postgres://...")
	tlsCert := fs.String("tls-cert", env("tls-cert", ""), "TLS certificate file (PEM)")
	tlsKey := fs.String("tls-key", env("tls-key", ""), "TLS key file (PEM)")
	logLevel := fs.String("log-level", env("log-level", "info"), "log level: debug, info, warn, error")
	demo := fs.Bool("demo", env("demo", "") == "1" || env("demo", "") == "true", "create the demo API client, OTP type, application and user (demo/demo1234): never in production")
	_ = fs.Bool("no-seed", false, "deprecated and ignored: serve seeds nothing unless --demo")
	trusted := fs.String("trusted-proxies", env("trusted-proxies", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (default none: the header is ignored)")
	pol := fs.String("policy", env("policy", server.PolicySingle), "re-enrollment policy until one is set: single, override, multiple")
	noLimits := fs.Bool("no-rate-limits", env("no-rate-limits", "") == "1" || env("no-rate-limits", "") == "true", "disable rate limits (load tests only)")
	localLimits := fs.Bool("local-rate-limits", env("local-rate-limits", "") == "1" || env("local-rate-limits", "") == "true", "PostgreSQL: keep rate-limit buckets per instance instead of sharing them through the store")
	allowPrivateEgress := fs.Bool("allow-private-egress", env("allow-private-egress", "") == "1" || env("allow-private-egress", "") == "true", "let callbacks, custom-registration webhooks and the audit webhook reach loopback, private, link-local and other internal addresses (development; default off: refused at request creation and at dial time)")
	cbBackoff := fs.Duration("callback-backoff", 0, "first callback retry delay (default 1s)")
	gogc := fs.String("gogc", env("gogc", gogcDefault()), "garbage collector target percentage (GOGC) or off; GOMEMLIMIT in the environment caps the heap")
	masterKeyFile := fs.String("master-key-file", env("master-key-file", ""), "file holding the 32-byte master key (base64 or hex) that encrypts the CA key at rest; or set OMA_MASTER_KEY to the key itself (default for a SQLite store: a development key in master.key next to the database)")
	scopes := fs.String("scopes", env("scopes", "openid profile"), "the scopes clients may request (space-separated); the user-info endpoint needs openid")
	implicitScopes := fs.String("implicit-scopes", env("implicit-scopes", "read"), "the only scopes an implicit (PIN-less) user token may carry (space-separated)")
	deviceScopes := fs.String("device-scopes", env("device-scopes", "read"), "the only scopes a device (client-credentials) token may carry (space-separated)")
	memLimit := fs.String("memory-limit", env("memory-limit", memoryLimitDefault()), "soft memory limit of the process (runtime/debug.SetMemoryLimit): a size such as 512MiB or 2GiB, or off")
	suspendFor := fs.Duration("suspend-for", 0, "how long a \"this wasn't me\" answer (or 3 wrong number picks in a row) suspends the user's user-bound requests (default 1h)")
	matchLimit := fs.Int("match-failure-limit", 0, "wrong number picks in a row that suspend the user's user-bound requests (default 3)")
	hashConc := fs.Int("hash-concurrency", envInt("hash-concurrency", 0), "argon2 PIN/password checks allowed at once (each takes 19 MiB); more are refused with 503 (default 8)")
	auditURL := fs.String("audit-webhook-url", env("audit-webhook-url", ""), "also POST every audit event, signed like a callback, to this URL (through a durable outbox with retries; default off)")
	auditKeyFile := fs.String("audit-webhook-key-file", env("audit-webhook-key-file", ""), "file holding the audit webhook's HMAC signing key (32+ characters); default: a key generated once and kept in the store, sealed under the master key (tokenserver audit-webhook key prints it)")
	pprofAddr := fs.String("pprof", env("pprof", ""), "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:6061; profiling load tests only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := applyGOGC(*gogc); err != nil {
		return err
	}
	if _, err := applyMemoryLimit(*memLimit); err != nil {
		return err
	}
	if *hashConc < 0 || *hashConc > 1024 {
		return fmt.Errorf("--hash-concurrency must be 1..1024")
	}
	proxies, err := parseCIDRs(*trusted)
	if err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if *pprofAddr != "" {
		stop, err := startPprof(*pprofAddr)
		if err != nil {
			return err
		}
		defer stop()
	}
	if err := ensureDir(*storeURL); err != nil {
		return err
	}
	cfg := server.Config{ListenAddr: *listen, PublicBaseURL: *baseURL, StoreURL: *storeURL, TLSCertFile: *tlsCert, TLSKeyFile: *tlsKey,
		LogLevel: *logLevel, LogOutput: stderr, Policy: *pol, HashConcurrency: *hashConc, TrustedProxies: proxies}
	if *adminListen != "off" {
		cfg.AdminListenAddr = *adminListen
		// The default address may be held by another server on this
		// machine: then a warning; an address asked for must bind.
		cfg.AdminListenOptional = !isSet(fs, "admin-listen")
	}
	cfg.LocalRateLimits = *localLimits
	cfg.AllowPrivateEgress = *allowPrivateEgress
	cfg.NotMeSuspension, cfg.MatchFailureLimit = *suspendFor, *matchLimit
	cfg.Callbacks.BaseBackoff = *cbBackoff
	cfg.AuditWebhookURL = *auditURL
	if *auditKeyFile != "" {
		if *auditURL == "" {
			return fmt.Errorf("--audit-webhook-key-file needs --audit-webhook-url")
		}
		k, err := auditwebhook.KeyFromFile(*auditKeyFile)
		if err != nil {
			return err
		}
		cfg.AuditWebhookKey = k
	}
	// Push senders from OMA_PUSH_* (server/push.FromEnv): credentials come
	// from files or the environment, never from flags (process listings).
	cfg.Push = push.FromEnv(os.Getenv)
	if *noLimits {
		off := ratelimit.Limit{Rate: -1}
		cfg.Limits = server.Limits{ClaimPerClient: off, ClaimPerIP: off, PinPerProfile: off, LoginPerUser: off, LoginPerIP: off, CreatePerAPIClient: off, APIAuthFailPerClient: off, APIAuthFailPerIP: off, PushPollPerClient: off,
			RegisterPerIP: off, BiometricPerProfile: off, SSOPerProfile: off}
	}
	if checkOnly {
		if _, err := cfg.Check(); err != nil {
			return err
		}
		return printEffective(stdout, fs, cfg)
	}
	mk, err := masterKey(*masterKeyFile, *storeURL, stdout)
	if err != nil {
		return err
	}
	cfg.MasterKey = mk
	cfg.Scopes = strings.Fields(*scopes)
	cfg.ImplicitScopes = strings.Fields(*implicitScopes)
	cfg.DeviceScopes = strings.Fields(*deviceScopes)
	srv, err := server.New(ctx, cfg)
	if err != nil {
		return err
	}
	c := srv.Config()
	fmt.Fprintf(stdout, "OMA Token Server on %s (store %s)\n", c.PublicBaseURL, redactURL(*storeURL))
	if *demo {
		seed, err := srv.SeedDemo(ctx)
		if err != nil {
			_ = srv.Close()
			return err
		}
		where, err := writeSecret(*storeURL, seed.APIClientID, seed.APIClientSecret)
		if err != nil {
			_ = srv.Close()
			return err
		}
		fmt.Fprintf(stdout, "demo API client: %s (secret: %s)\n", seed.APIClientID, where)
		fmt.Fprintf(stdout, "demo OTP type:   %s (5 minutes)\n", seed.OTPType)
		fmt.Fprintf(stdout, "demo application: %s (redirect URI %s)\n", seed.AppID, seed.RedirectURI)
		fmt.Fprintf(stdout, "demo user:       %s / %s\n", seed.Username, seed.Password)
	}
	return srv.ListenAndServe(ctx)
}

// sqlitePath returns the file of a sqlite: store URL ("" otherwise).
func sqlitePath(storeURL string) string {
	if !strings.HasPrefix(storeURL, "sqlite:") {
		return ""
	}
	p, _, _ := strings.Cut(strings.TrimPrefix(storeURL, "sqlite:"), "?")
	if p == ":memory:" {
		return ""
	}
	return p
}

func ensureDir(storeURL string) error {
	if p := sqlitePath(storeURL); p != "" {
		return os.MkdirAll(filepath.Dir(p), 0o700)
	}
	return nil
}

// writeSecret stores the demo secret next to a SQLite database (mode 0600) and
// says where it is; for other stores it points at the admin command.
func writeSecret(storeURL, id, secret string) (string, error) {
	p := sqlitePath(storeURL)
	if p == "" {
		return "kept for the demo in the store's settings table, key demo_api_client_secret", nil
	}
	f := filepath.Join(filepath.Dir(p), id+".secret")
	if err := os.WriteFile(f, []byte(secret+"\n"), 0o600); err != nil {
		return "", err
	}
	return "in " + f, nil
}

// redactURL hides a password in a postgres URL.
func redactURL(u string) string {
	if at := strings.LastIndex(u, "@"); at > 0 {
		if i := strings.Index(u, "://"); i > 0 {
			if c := strings.Index(u[i+3:at], ":"); c >= 0 {
				return u[:i+3+c] + ":***" + u[at:]
			}
		}
	}
	return u
}

// parseCIDRs reads --trusted-proxies: comma-separated CIDRs or single
// addresses (a single address is its /32 or /128).
func parseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
