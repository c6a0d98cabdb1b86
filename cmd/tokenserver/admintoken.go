package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/openmobileauth/oma/server"
)

const adminTokenUsage = "usage: tokenserver admin-token create --name NAME [--scope read|write] | list | revoke --name NAME [--store URL]"

// adminToken: bearer tokens of the admin REST API (stored hashed).
func adminToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := map[string]bool{"create": true, "list": true, "revoke": true}
	if len(args) == 0 || !cmds[args[0]] {
		fmt.Fprintln(stderr, adminTokenUsage)
		return errUsage
	}
	fs := newFlags("admin-token "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	name := fs.String("name", "", "the token's name: who or what holds it (named in audit records)")
	scope := fs.String("scope", server.AdminScopeRead, "read (GET only) or write")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a, closeStore, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer closeStore()
	switch args[0] {
	case "create":
		tok, err := a.CreateAdminToken(ctx, *name, *scope)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "admin token %s (%s): %s\n", *name, *scope, tok)
		fmt.Fprintln(stdout, "It is stored hashed: this is the only time it is shown. Use it as: Authorization: Bearer <token>")
	case "list":
		ts, err := a.ListAdminTokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range ts {
			fmt.Fprintf(stdout, "%-24s %-6s created %s\n", t.Name, t.Scope, time.UnixMilli(t.CreatedAt).UTC().Format(time.RFC3339))
		}
	case "revoke":
		if err := a.RevokeAdminToken(ctx, *name); err != nil {
			return fmt.Errorf("revoking %q: %w", *name, err)
		}
		fmt.Fprintf(stdout, "admin token %s revoked\n", *name)
	}
	return nil
}
