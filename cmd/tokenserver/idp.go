package main

import (
	"context"
	"fmt"
	"io"

	"github.com/openmobileauth/oma/server"
)

const idpUsage = `usage: tokenserver idp create --app APP --id ID --name NAME --type browser|custom [--url WEBHOOK_URL]
       tokenserver idp list [--app APP]
       tokenserver idp delete --app APP --id ID`

// idp administers the identity providers of applications (issue 17). A
// custom one's webhook key is printed once, at create.
func idp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, idpUsage)
		return errUsage
	}
	switch args[0] {
	case "create", "list", "delete":
	default:
		fmt.Fprintln(stderr, idpUsage)
		return errUsage
	}
	fs := newFlags("idp "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	appID := fs.String("app", "", "the application the identity provider belongs to")
	id := fs.String("id", "", "identity provider id: what the app passes to registerUser")
	name := fs.String("name", "", "display name (create)")
	kind := fs.String("type", "", "browser (the login page) or custom (custom registration through --url) (create)")
	url := fs.String("url", "", "custom: the operator backend's webhook URL (https; http only to loopback)")
	mkFile := fs.String("master-key-file", env("master-key-file", ""), "the master key file the server uses (or OMA_MASTER_KEY): webhook keys are stored sealed under it")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] != "list" && (*id == "" || *appID == "") {
		fmt.Fprintf(stderr, "tokenserver idp %s: --app and --id are required\n", args[0])
		return errUsage
	}
	a, done, err := openAdminKeyed(ctx, *storeURL, *mkFile)
	if err != nil {
		return err
	}
	defer done()
	switch args[0] {
	case "create":
		key, err := a.CreateIdentityProvider(ctx, server.IdentityProviderSpec{AppID: *appID, ID: *id, Name: *name, Kind: *kind, URL: *url})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "identity provider %s of application %s created\n", *id, *appID)
		if key != "" {
			fmt.Fprintf(stdout, "webhook key (shown once; the backend verifies requests and signs answers with it): %s\n", key)
		}
	case "delete":
		if err := a.DeleteIdentityProvider(ctx, *appID, *id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "identity provider %s of application %s deleted\n", *id, *appID)
	case "list":
		list, err := a.ListIdentityProviders(ctx, *appID)
		if err != nil {
			return err
		}
		for _, p := range list {
			fmt.Fprintf(stdout, "%s\t%s\tname=%q\ttype=%s\turl=%s\n", p.AppID, p.ID, p.Name, p.Kind, p.URL)
		}
	}
	return nil
}
