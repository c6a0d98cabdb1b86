package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// userMore runs the user subcommands that read or revoke (the admin API's
// GET /admin/v1/users, .../enrollments, DELETE .../enrollments/{id},
// GET /admin/v1/suspensions) and that disable, enable, delete or unlock a
// user (POST .../disable|enable|unlock, DELETE /admin/v1/users/{id});
// user() keeps create, reset-devices, unsuspend.
func userMore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user "+args[0], stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	who := fs.String("user", "", "user id (enrollments, revoke-enrollment, disable, enable, delete, unlock)")
	eid := fs.String("enrollment", "", "enrollment id from 'user enrollments' (revoke-enrollment)")
	after := fs.String("after", "", "list: users with ids after this one")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] != "list" && args[0] != "suspensions" && *who == "" {
		fmt.Fprintf(stderr, "tokenserver user %s: --user is required\n", args[0])
		return errUsage
	}
	if args[0] == "revoke-enrollment" && *eid == "" {
		fmt.Fprintln(stderr, "tokenserver user revoke-enrollment: --enrollment is required")
		return errUsage
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	switch args[0] {
	case "list":
		us, err := a.ListUsers(ctx, *after, 500)
		if err != nil {
			return err
		}
		for _, u := range us {
			state := ""
			if u.Disabled {
				state = "\tdisabled"
			}
			fmt.Fprintf(stdout, "%s\tcreated=%s%s\n", u.ID, time.UnixMilli(u.CreatedAt).UTC().Format(time.RFC3339), state)
		}
	case "disable", "enable":
		off := args[0] == "disable"
		changed, err := a.SetUserDisabled(ctx, *who, off)
		if err != nil {
			return fmt.Errorf("user %s: %w", *who, err)
		}
		switch {
		case !changed:
			fmt.Fprintf(stdout, "user %s was already %sd\n", *who, args[0])
		case off:
			fmt.Fprintf(stdout, "user %s disabled: no login, token, answer or request for them; their tokens are revoked\n", *who)
		default:
			fmt.Fprintf(stdout, "user %s enabled\n", *who)
		}
	case "delete":
		d, err := a.DeleteUser(ctx, *who)
		if err != nil {
			return fmt.Errorf("user %s: %w", *who, err)
		}
		fmt.Fprintf(stdout, "user %s deleted with %d registration(s), %d enrolled device(s) and %d open request(s)\n", *who, d.Profiles, d.Enrollments, d.Transactions)
	case "unlock":
		u, err := a.UnlockUser(ctx, *who)
		if err != nil {
			return fmt.Errorf("user %s: %w", *who, err)
		}
		fmt.Fprintf(stdout, "user %s unlocked: %d wrong-PIN counter(s) reset, suspension lifted: %t, login and PIN rate limits refilled\n", *who, u.PinFailures, u.Suspension)
	case "enrollments":
		es, err := a.UserEnrollments(ctx, *who)
		if err != nil {
			return fmt.Errorf("user %s: %w", *who, err)
		}
		for _, e := range es {
			fmt.Fprintf(stdout, "%s\tprofile=%s\tclient=%s\tcreated=%s\n", e.ID, e.ProfileID, e.ClientID, time.UnixMilli(e.CreatedAt).UTC().Format(time.RFC3339))
		}
	case "revoke-enrollment":
		if err := a.RevokeEnrollment(ctx, *who, *eid); err != nil {
			return fmt.Errorf("user %s enrollment %s: %w", *who, *eid, err)
		}
		fmt.Fprintf(stdout, "user %s: enrollment %s revoked; that device is no longer enrolled\n", *who, *eid)
	case "suspensions":
		ss, err := a.ListSuspensions(ctx)
		if err != nil {
			return err
		}
		for _, s := range ss {
			fmt.Fprintf(stdout, "%s\tuntil=%s\treason=%s\n", s.UserID, time.UnixMilli(s.Until).UTC().Format(time.RFC3339), s.Reason)
		}
	}
	return nil
}
