// Command tokenserver runs the OMA Token Server and administers its store.
//
//	tokenserver version          (or --version)
//	tokenserver serve [--listen 127.0.0.1:8080] [--admin-listen 127.0.0.1:9090] [--base-url URL] [--store sqlite:./oma-data/oma.db]
//	                  [--tls-cert F --tls-key F] [--log-level info] [--demo] [--policy single] [--gogc 400] [--memory-limit 512MiB]
//	                  [--hash-concurrency 8] [--pprof 127.0.0.1:6061] [--trusted-proxies CIDR,...]
//	tokenserver api-client create --id ID [--secret S] [--callback URI]... [--max-message-len N]
//	                  [--allow-http-callbacks] [--allow-private-callbacks]
//	tokenserver api-client list
//	tokenserver api-client rotate-secret --id ID [--secret S]
//	tokenserver api-client rotate-callback-key --id ID
//	tokenserver api-client add-callback --id ID --callback URI...
//	tokenserver otp-type create --name NAME [--expiry 5m] [--template "{message}"]
//	tokenserver app create --id ID --name NAME --redirect-uri URI... [--platform P]... [--version V]...
//	tokenserver app list | app disable|enable|delete --id ID
//	tokenserver user create --username NAME --password PW
//	tokenserver user reset-devices --user NAME
//	tokenserver user unsuspend --user NAME
//	tokenserver user disable|enable|delete|unlock --user NAME
//	tokenserver policy set [single|override|multiple] [--pin-max-failures N] [--not-me-suspension D] [--push-max-pending N] [--reset NAME,...]
//	tokenserver policy show
//	tokenserver audit-webhook key [--store URL] [--master-key-file FILE]
//
//	tokenserver config check [--config FILE] [serve flags]
//	tokenserver admin-token create --name NAME [--scope read|write] | list | revoke --name NAME
//
// Every flag can also be given as an environment variable OMA_<FLAG> (upper
// case, dashes as underscores), e.g. OMA_STORE, OMA_LISTEN, OMA_BASE_URL, or
// in a YAML configuration file (--config FILE or OMA_CONFIG; keys are the
// flag names). Precedence: flag > OMA_* variable > file > default.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/openmobileauth/oma/internal/buildinfo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: tokenserver <command> [flags]

commands:
  serve                      run the server (seeds nothing; --demo seeds the demo data)
  version                    print the version (also --version)
  config check               validate the serve configuration and print it (secrets redacted)
  admin-token create|list|revoke   bearer tokens of the admin REST API (admin listener)
  api-client create|list|rotate-secret|rotate-callback-key|add-callback
                             manage relying-party API clients
  otp-type create            create or update an OTP type
  app create|list|disable|enable|delete
                             manage the applications allowed to register clients
  idp create|list|delete     manage the identity providers of applications (browser, custom registration)
  user create                create a user of the built-in identity provider
  user reset-devices         remove a user's enrolled devices (before enrolling a replacement)
  user unsuspend             lift a user's suspension ("this wasn't me" or wrong number picks)
  user disable|enable        refuse (or allow again) a user's logins, tokens, answers and requests
  user delete                remove a user with their registrations, devices, tokens and open requests
  user unlock                reset a user's wrong-PIN counters, suspension and login/PIN rate limits
  policy set|show            the policies every server on the store applies: re-enrollment (single,
                             override, multiple), PIN failures, "not me" suspension, open push requests
  audit-webhook key          print the audit webhook's generated signing key and its key id

Run "tokenserver <command> -h" for the flags of a command.
`

// run executes one command and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "admin-token":
		err = adminToken(ctx, args[1:], stdout, stderr)
	case "config":
		err = configCmd(ctx, args[1:], stdout, stderr)
	case "api-client":
		err = apiClient(ctx, args[1:], stdout, stderr)
	case "otp-type":
		err = otpType(ctx, args[1:], stdout, stderr)
	case "app":
		err = app(ctx, args[1:], stdout, stderr)
	case "idp":
		err = idp(ctx, args[1:], stdout, stderr)
	case "user":
		err = user(ctx, args[1:], stdout, stderr)
	case "policy":
		err = policy(ctx, args[1:], stdout, stderr)
	case "audit-webhook":
		err = auditWebhook(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, buildinfo.Get())
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "tokenserver: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err == errUsage {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "tokenserver: %v\n", err)
		return 1
	}
	return 0
}
