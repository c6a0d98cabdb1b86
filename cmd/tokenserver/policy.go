package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/policies"
)

const policyUsage = `usage: tokenserver policy set [single|override|multiple] [--pin-max-failures N] [--not-me-suspension D]
                          [--push-max-pending N] [--reset NAME,...] [--store URL]
       tokenserver policy show [--store URL]`

// policy runs `tokenserver policy set|show` (the admin API's PUT and GET
// /admin/v1/policy): the policies stored in the store, which every server
// on it applies and which win over its flags, OMA_* variables and YAML.
func policy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "set" && args[0] != "show") {
		fmt.Fprintln(stderr, policyUsage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	reenroll := ""
	if cmd == "set" && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		reenroll, rest = rest[0], rest[1:]
	}
	fs := newFlags("policy "+cmd, stderr)
	storeURL := fs.String("store", env("store", defaultStore), "store URL")
	pinMax := fs.Int("pin-max-failures", 0, fmt.Sprintf("set: wrong PINs in a row that remove a registration (1..%d)", policies.MaxPinFailures))
	notMe := fs.Duration("not-me-suspension", 0, "set: how long a \"this wasn't me\" answer suspends the user's user-bound requests (1s..720h)")
	pending := fs.Int("push-max-pending", 0, fmt.Sprintf("set: open push requests per user (1..%d)", policies.MaxPushPending))
	reset := fs.String("reset", "", "set: comma-separated policies to reset to the server's configuration: "+strings.Join(server.PolicyFields(), ", "))
	if err := parse(fs, rest); err != nil {
		return err
	}
	a, done, err := openAdmin(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer done()
	if cmd == "set" {
		c := server.PolicyChange{Policy: reenroll, Policies: policies.Policies{PinMaxFailures: *pinMax, NotMeSuspension: *notMe, PushMaxPending: *pending}}
		if *reset != "" {
			c.Reset = strings.Split(*reset, ",")
		}
		if reenroll == "" && *pinMax == 0 && *notMe == 0 && *pending == 0 && len(c.Reset) == 0 {
			fmt.Fprintln(stderr, policyUsage)
			return errUsage
		}
		if *notMe < 0 || (*notMe != 0 && *notMe%time.Second != 0) {
			return fmt.Errorf("--not-me-suspension must be whole seconds, 1s..720h")
		}
		if err := a.SetPolicies(ctx, c); err != nil {
			return err
		}
	}
	v, err := a.Policies(ctx, server.PolicyView{})
	if err != nil {
		return err
	}
	show := func(name, value string) {
		if !v.Stored[name] {
			value = "(not stored: the server's configuration applies)"
		}
		fmt.Fprintf(stdout, "%-26s %s\n", name, value)
	}
	show("policy", v.Policy)
	show("pin_max_failures", fmt.Sprint(v.PinMaxFailures))
	show("not_me_suspension_seconds", fmt.Sprint(v.NotMeSuspensionSeconds))
	show("push_max_pending", fmt.Sprint(v.PushMaxPending))
	return nil
}
