package main

import (
	"context"
	"fmt"
	"io"
)

// otpTypeMore runs otp-type list, disable, enable and delete (the admin API's
// GET /admin/v1/otp-types and POST .../{name}/disable|enable).
func otpTypeMore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("otp-type "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	name := fs.String("name", "", "type name (disable, enable)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] != "list" && *name == "" {
		fmt.Fprintf(stderr, "tokenserver otp-type %s: --name is required\n", args[0])
		return errUsage
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	if args[0] == "list" {
		ts, err := a.ListOTPTypes(ctx)
		if err != nil {
			return err
		}
		for _, t := range ts {
			fmt.Fprintf(stdout, "%s\texpiry=%ds\tpush=%t\tdisabled=%t\ttemplate=%q\n", t.Name, t.ExpirySecs, t.Push, t.Disabled, t.MessageTemplate)
		}
		return nil
	}
	if args[0] == "delete" {
		if err := a.DeleteOTPType(ctx, *name); err != nil {
			return fmt.Errorf("OTP type %s: %w (a type with open requests is kept: disable it, delete it once they ended)", *name, err)
		}
		fmt.Fprintf(stdout, "OTP type %s deleted\n", *name)
		return nil
	}
	if err := a.SetOTPTypeDisabled(ctx, *name, args[0] == "disable"); err != nil {
		return fmt.Errorf("OTP type %s: %w", *name, err)
	}
	fmt.Fprintf(stdout, "OTP type %s %sd\n", *name, args[0])
	return nil
}
