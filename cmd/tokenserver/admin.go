package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/openmobileauth/oma/server"
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
	return &server.Admin{Store: st, Argon2: server.DefaultArgon2}, func() { _ = st.Close() }, nil
}

func apiClient(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list") {
		fmt.Fprintln(stderr, "usage: tokenserver api-client create|list [flags]")
		return errUsage
	}
	fs := newFlags("api-client "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	id := fs.String("id", "", "API client id (create)")
	secret := fs.String("secret", "", "secret (create; generated when empty)")
	var callbacks multi
	fs.Var(&callbacks, "callback", "allowed callback URI (create; repeatable)")
	maxLen := fs.Int("max-message-len", 0, "maximum message length (create; default 155)")
	show := fs.Bool("show-secrets", false, "print secrets (list)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	if args[0] == "create" {
		s, err := a.CreateAPIClient(ctx, server.APIClientSpec{ID: *id, Secret: *secret, CallbackURIs: callbacks, MaxMessageLen: *maxLen})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API client %s created\nsecret: %s\n", *id, s)
		return nil
	}
	list, err := a.ListAPIClients(ctx)
	if err != nil {
		return err
	}
	for _, c := range list {
		sec := "(hidden; --show-secrets)"
		if *show {
			sec = c.Secret
		}
		fmt.Fprintf(stdout, "%s\tsecret=%s\tcallbacks=%s\tdisabled=%v\n", c.ID, sec, strings.Join(c.CallbackURIs, ","), c.Disabled)
	}
	return nil
}

func otpType(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: tokenserver otp-type create --name NAME [--expiry 5m] [--template T]")
		return errUsage
	}
	fs := newFlags("otp-type create", stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	name := fs.String("name", "", "type name")
	expiry := fs.Duration("expiry", 5*time.Minute, "how long a request of this type can be answered")
	tpl := fs.String("template", "{message}", "message template; {message} is the request's message")
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
	fmt.Fprintf(stdout, "OTP type %s: expiry %s\n", *name, *expiry)
	return nil
}

func user(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: tokenserver user create --username NAME --password PW")
		return errUsage
	}
	fs := newFlags("user create", stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	name := fs.String("username", "", "user name (also the user id)")
	pw := fs.String("password", env("password", ""), "password (or OMA_PASSWORD)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	id, err := a.CreateUser(ctx, *name, *pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s created\n", id)
	return nil
}

func policy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "set" {
		fmt.Fprintln(stderr, "usage: tokenserver policy set single|override|multiple [--store URL]")
		return errUsage
	}
	fs := newFlags("policy set", stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	if err := parse(fs, args[2:]); err != nil {
		return err
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	if err := a.SetPolicy(ctx, args[1]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-enrollment policy: %s\n", args[1])
	return nil
}
