package main

import (
	"context"
	"fmt"
	"io"

	"github.com/openmobileauth/oma/server/auditwebhook"
	"github.com/openmobileauth/oma/server/store"
)

// auditWebhook runs `tokenserver audit-webhook key`: the signing key a
// server without --audit-webhook-key-file generated and keeps in the store
// (sealed under the master key), for the operator's receiver; created now
// when there is none yet.
func auditWebhook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "key" {
		fmt.Fprintln(stderr, "usage: tokenserver audit-webhook key [--store URL] [--master-key-file FILE]")
		return errUsage
	}
	fs := newFlags("audit-webhook key", stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	masterKeyFile := fs.String("master-key-file", env("master-key-file", ""), "the master key file the server uses (or OMA_MASTER_KEY)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	mk, err := masterKey(*masterKeyFile, *storeURL, io.Discard)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer st.Close()
	key, _, err := auditwebhook.LoadOrCreateKey(ctx, st, mk)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit webhook signing key (X-OMA-Key-Id %s):\n%s\n", auditwebhook.KeyID(key), key)
	return nil
}
