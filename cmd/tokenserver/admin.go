package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/store"
)

// openAdmin opens the store named by --store for an admin command.
func openAdmin(ctx context.Context, storeURL string) (*server.Admin, func(), error) {
	if err := ensureDir(storeURL); err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		return nil, nil, err
	}
	mk, err := adminMasterKey(storeURL)
	if err != nil {
		_ = st.Close()
		return nil, nil, err
	}
	return &server.Admin{Store: st, Argon2: server.DefaultArgon2, Keys: atrest.New(mk)}, func() { _ = st.Close() }, nil
}

// openAdminKeyed is openAdmin with the master key of --master-key-file.
func openAdminKeyed(ctx context.Context, storeURL, masterKeyFile string) (*server.Admin, func(), error) {
	a, done, err := openAdmin(ctx, storeURL)
	if err != nil || masterKeyFile == "" {
		return a, done, err
	}
	mk, err := adminMasterKeyFrom(masterKeyFile, storeURL)
	if err != nil {
		done()
		return nil, nil, err
	}
	a.Keys = atrest.New(mk)
	return a, done, nil
}

// adminMasterKey is the master key an admin command seals the keys it
// stores with (callback keys, webhook keys): OMA_MASTER_KEY_FILE or
// OMA_MASTER_KEY, else a SQLite store's existing development key (never a
// new one: the server may use another). None: the keys are stored as they
// are and the server seals them at its next start.
func adminMasterKey(storeURL string) ([]byte, error) {
	return adminMasterKeyFrom(env("master-key-file", ""), storeURL)
}

// adminMasterKeyFrom is adminMasterKey with --master-key-file file (the
// commands that store keys take the flag, so the configuration file's
// master-key-file applies to them too).
func adminMasterKeyFrom(file, storeURL string) ([]byte, error) {
	if f := file; f != "" || os.Getenv("OMA_MASTER_KEY") != "" {
		return masterKey(f, storeURL, io.Discard)
	}
	if p := sqlitePath(storeURL); p != "" {
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), devMasterKeyName)); err == nil {
			return masterKey("", storeURL, io.Discard)
		}
	}
	return nil, nil
}

const apiClientUsage = "usage: tokenserver api-client create|list|rotate-secret|rotate-callback-key|add-callback|disable|enable|delete [flags]"

func apiClient(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := map[string]bool{"create": true, "list": true, "rotate-secret": true, "rotate-callback-key": true, "add-callback": true, "disable": true, "enable": true, "delete": true}
	if len(args) == 0 || !cmds[args[0]] {
		fmt.Fprintln(stderr, apiClientUsage)
		return errUsage
	}
	fs := newFlags("api-client "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	mkFile := fs.String("master-key-file", env("master-key-file", ""), "the master key file the server uses (or OMA_MASTER_KEY): callback keys are stored sealed under it")
	id := fs.String("id", "", "API client id")
	secret := fs.String("secret", "", fmt.Sprintf("secret (create, rotate-secret; generated, 32 random bytes, when empty; else at least %d characters)", server.MinAPISecretLen))
	var callbacks multi
	fs.Var(&callbacks, "callback", "allowed callback URI (create, add-callback; repeatable)")
	maxLen := fs.Int("max-message-len", 0, "maximum message length (create; default 155)")
	allowHTTP := fs.Bool("allow-http-callbacks", false, "allow plain http callback URIs to non-loopback hosts (create, add-callback)")
	allowPrivate := fs.Bool("allow-private-callbacks", false, "allow callback URIs with literal private or link-local addresses (create, add-callback)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a, done, err := openAdminKeyed(ctx, *storeURL, *mkFile)
	if err != nil {
		return err
	}
	defer done()
	pol := server.CallbackPolicy{AllowHTTP: *allowHTTP, AllowPrivate: *allowPrivate}
	switch args[0] {
	case "create":
		cr, err := a.CreateAPIClient(ctx, server.APIClientSpec{ID: *id, Secret: *secret, CallbackURIs: callbacks, MaxMessageLen: *maxLen, Callbacks: pol})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API client %s created\n", cr.ID)
		if *secret == "" {
			fmt.Fprintf(stdout, "secret: %s\n", cr.Secret)
		} else {
			fmt.Fprintln(stdout, "secret: (the one given)")
		}
		fmt.Fprintf(stdout, "callback key id: %s\ncallback key: %s\n", cr.CallbackKeyID, cr.CallbackKey)
		fmt.Fprintln(stdout, "The secret is stored hashed: this is the only time it is shown.")
	case "rotate-secret":
		s, err := a.RotateSecret(ctx, *id, *secret)
		if err != nil {
			return err
		}
		if *secret == "" {
			fmt.Fprintf(stdout, "secret: %s\n", s)
		}
		fmt.Fprintf(stdout, "API client %s: new secret in effect (the old one no longer works)\n", *id)
	case "rotate-callback-key":
		kid, key, err := a.RotateCallbackKey(ctx, *id)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "callback key id: %s\ncallback key: %s\n", kid, key)
	case "add-callback":
		if err := a.AddCallbackURIsWith(ctx, *id, pol, callbacks...); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API client %s: %d callback URI(s) allowed\n", *id, len(callbacks))
	case "delete":
		if err := a.DeleteAPIClient(ctx, *id); err != nil {
			return fmt.Errorf("API client %s: %w (an API client with open requests or undelivered callbacks is kept: disable it, delete it once they ended)", *id, err)
		}
		fmt.Fprintf(stdout, "API client %s deleted\n", *id)
	case "disable", "enable":
		if err := a.SetAPIClientDisabled(ctx, *id, args[0] == "disable"); err != nil {
			return fmt.Errorf("API client %s: %w", *id, err)
		}
		fmt.Fprintf(stdout, "API client %s %sd\n", *id, args[0])
	case "list":
		list, err := a.ListAPIClients(ctx)
		if err != nil {
			return err
		}
		for _, c := range list {
			fmt.Fprintf(stdout, "%s\tcallback_key_id=%s\tcallbacks=%s\tdisabled=%v\n", c.ID, c.CallbackKeyID, strings.Join(c.CallbackURIs, ","), c.Disabled)
		}
	}
	return nil
}

func otpType(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "list" || args[0] == "disable" || args[0] == "enable" || args[0] == "delete") {
		return otpTypeMore(ctx, args, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: tokenserver otp-type list|disable --name NAME|enable --name NAME|delete --name NAME\n       tokenserver otp-type create --name NAME [--expiry 5m] [--template T] [--push] [--number-matching] [--user-verification none|required]")
		return errUsage
	}
	fs := newFlags("otp-type create", stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	name := fs.String("name", "", "type name")
	expiry := fs.Duration("expiry", 5*time.Minute, "how long a request of this type can be answered")
	tpl := fs.String("template", "{message}", "message template; {message} is the request's message")
	isPush := fs.Bool("push", false, "a push type: requests need user_id and wake the user's devices (no OTP)")
	nm := fs.Bool("number-matching", false, "every request carries a 2-digit match code the user picks on the phone")
	uv := fs.String("user-verification", "none", "none, or required: an accept needs the user's PIN, verified by the server")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	if err := a.PutOTPType(ctx, *name, *expiry, *tpl); err != nil {
		return err
	}
	if err := a.SetOTPTypePush(ctx, *name, *isPush); err != nil {
		return err
	}
	if err := a.SetOTPTypeAntiFatigue(ctx, *name, *nm, *uv); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "OTP type %s: expiry %s push %t number matching %t user verification %s\n", *name, *expiry, *isPush, *nm, *uv)
	return nil
}

func user(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "list" || args[0] == "enrollments" || args[0] == "revoke-enrollment" || args[0] == "suspensions" ||
		args[0] == "disable" || args[0] == "enable" || args[0] == "delete" || args[0] == "unlock") {
		return userMore(ctx, args, stdout, stderr)
	}
	if len(args) == 0 || (args[0] != "create" && args[0] != "reset-devices" && args[0] != "unsuspend") {
		fmt.Fprintln(stderr, "usage: tokenserver user create --username NAME --password PW\n       tokenserver user reset-devices --user NAME\n       tokenserver user unsuspend --user NAME\n"+
			"       tokenserver user list [--after ID]\n       tokenserver user enrollments --user NAME\n       tokenserver user revoke-enrollment --user NAME --enrollment ID\n       tokenserver user suspensions\n"+
			"       tokenserver user disable|enable|delete|unlock --user NAME")
		return errUsage
	}
	fs := newFlags("user "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	name := fs.String("username", "", "user name (also the user id; create)")
	pw := fs.String("password", env("password", ""), "password (create; or OMA_PASSWORD)")
	who := fs.String("user", "", "user id whose mobile-authentication devices are removed (reset-devices) or whose suspension is lifted (unsuspend)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] != "create" && *who == "" {
		fmt.Fprintf(stderr, "tokenserver user %s: --user is required\n", args[0])
		return errUsage
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	if args[0] == "unsuspend" {
		was, err := a.UnsuspendUser(ctx, *who)
		if err != nil {
			return err
		}
		if !was {
			fmt.Fprintf(stdout, "user %s was not suspended\n", *who)
			return nil
		}
		fmt.Fprintf(stdout, "user %s: suspension lifted; user-bound requests are accepted again\n", *who)
		return nil
	}
	if args[0] == "reset-devices" {
		n, err := a.ResetUserDevices(ctx, *who)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s: %d enrolled device(s) removed; the next enrollment starts fresh\n", *who, n)
		return nil
	}
	id, err := a.CreateUser(ctx, *name, *pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s created\n", id)
	return nil
}
