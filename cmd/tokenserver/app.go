package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/openmobileauth/oma/server"
)

const appUsage = `usage: tokenserver app create --id ID --name NAME --redirect-uri URI... [--platform P]... [--version V]... [--sso-target URL]... [--disabled]
       tokenserver app update --id ID --sso-target URL... | --no-sso-targets
       tokenserver app list
       tokenserver app disable|enable|delete --id ID`

// app administers the applications allowed to register clients (DESIGN §10).
func app(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, appUsage)
		return errUsage
	}
	switch args[0] {
	case "create", "update", "list", "disable", "enable", "delete":
	default:
		fmt.Fprintln(stderr, appUsage)
		return errUsage
	}
	fs := newFlags("app "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	id := fs.String("id", "", "application id: what the app sends as app_id (SDK appId)")
	name := fs.String("name", "", "display name on the login page (create)")
	var redirects, platforms, versions, ssoTargets multi
	fs.Var(&redirects, "redirect-uri", "allowed redirect URI, exact match (create; repeatable)")
	fs.Var(&platforms, "platform", "allowed platform: android, ios, desktop... (create; repeatable; default any)")
	fs.Var(&versions, "version", "allowed app version (create; repeatable; default any)")
	fs.Var(&ssoTargets, "sso-target", "allowed app-to-web single sign-on target URL, exact match (create, update: replaces the list; repeatable)")
	noSSO := fs.Bool("no-sso-targets", false, "update: remove every single sign-on target (single sign-on off)")
	disabled := fs.Bool("disabled", false, "create the application disabled")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] != "list" && *id == "" {
		fmt.Fprintf(stderr, "tokenserver app %s: --id is required\n", args[0])
		return errUsage
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	switch args[0] {
	case "create":
		err := a.CreateApplication(ctx, server.ApplicationSpec{ID: *id, Name: *name, RedirectURIs: redirects, Platforms: platforms,
			Versions: versions, SSOTargets: ssoTargets, Disabled: *disabled})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "application %s created\n", *id)
	case "update":
		if (len(ssoTargets) == 0) == !*noSSO {
			fmt.Fprintln(stderr, "tokenserver app update: give --sso-target URL (repeatable) or --no-sso-targets")
			return errUsage
		}
		if err := a.SetApplicationSSOTargets(ctx, *id, ssoTargets); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "application %s updated: sso_targets=%s\n", *id, orNone(ssoTargets))
	case "disable", "enable":
		if err := a.SetApplicationEnabled(ctx, *id, args[0] == "enable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "application %s %sd\n", *id, args[0])
	case "delete":
		if err := a.DeleteApplication(ctx, *id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "application %s deleted\n", *id)
	case "list":
		list, err := a.ListApplications(ctx)
		if err != nil {
			return err
		}
		for _, p := range list {
			fmt.Fprintf(stdout, "%s\tname=%q\tredirect_uris=%s\tplatforms=%s\tversions=%s\tdisabled=%v\tsso_targets=%s\n", p.ID, p.Name,
				strings.Join(p.RedirectURIs, ","), orAny(p.Platforms), orAny(p.Versions), p.Disabled, orNone(p.SSOTargets))
		}
	}
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}

func orAny(s []string) string {
	if len(s) == 0 {
		return "any"
	}
	return strings.Join(s, ",")
}
