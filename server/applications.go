package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/enrollpolicy"
	"github.com/openmobileauth/oma/server/store"
)

// ApplicationSpec describes an application (DESIGN §10) to create.
type ApplicationSpec struct {
	ID           string
	Name         string   // shown on the login page: "<Name> wants to sign you in"
	RedirectURIs []string // exact match at client registration
	Platforms    []string // empty: any platform
	Versions     []string // empty: any app version
	// SSOTargets are the URLs an app may ask an app-to-web single sign-on
	// URL for (issue 17; exact match; empty: none).
	SSOTargets []string
	Disabled   bool
}

// The demo application: what the SDK core registers with by default
// (core/client DefaultAppID and DefaultRedirectURI). SeedDemo creates it.
const (
	DemoAppID       = "oma-app"
	DemoAppName     = "OMA Demo"
	DemoRedirectURI = "oma-app://registration/callback"
)

// Errors of the application admin operations.
var (
	ErrApplicationExists   = errors.New("an application with this id exists")
	ErrApplicationNotFound = errors.New("no such application")
)

func validToken(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' || r == '+') {
			return false
		}
	}
	return true
}

// checkRedirectURI accepts an absolute URI without a fragment: an https URL
// (http only for loopback hosts) or an app's own scheme. javascript:, data:,
// vbscript: and file: are never redirect targets.
func checkRedirectURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || s == "" || len(s) > 512 || u.Scheme == "" || u.Fragment != "" || strings.ContainsAny(s, " \t\r\n<>\"") {
		return fmt.Errorf("redirect URI %q must be an absolute URI without a fragment (at most 512 bytes)", s)
	}
	switch strings.ToLower(u.Scheme) {
	case "javascript", "data", "vbscript", "file", "blob", "about":
		return fmt.Errorf("redirect URI %q: scheme %s is not allowed", s, u.Scheme)
	case "https":
		if u.Host == "" {
			return fmt.Errorf("redirect URI %q has no host", s)
		}
	case "http":
		h := u.Hostname()
		if h != "localhost" && h != "127.0.0.1" && h != "::1" {
			return fmt.Errorf("redirect URI %q: http is only allowed for loopback hosts (use https or the app's scheme)", s)
		}
	}
	return nil
}

// checkSSOTarget accepts an absolute https URL (http only for loopback
// hosts) without user info or fragment: the page a browser is sent to after
// an app-to-web sign-on, compared exactly at issue and at redemption.
func checkSSOTarget(s string) error {
	u, err := url.Parse(s)
	if err != nil || len(s) > protocol.MaxSSOTargetLen || u.Fragment != "" || u.User != nil || u.Host == "" || u.Opaque != "" ||
		strings.ContainsAny(s, " \t\r\n<>\"\\") {
		return fmt.Errorf("single sign-on target %q must be an absolute http(s) URL without user info or fragment (at most %d bytes)", s, protocol.MaxSSOTargetLen)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopbackHost(u.Hostname()) {
			return fmt.Errorf("single sign-on target %q: http is only allowed for loopback hosts", s)
		}
	default:
		return fmt.Errorf("single sign-on target %q must be an https URL", s)
	}
	return nil
}

// loopbackHost: localhost or a loopback address.
func loopbackHost(h string) bool {
	ip := net.ParseIP(h)
	return h == "localhost" || (ip != nil && ip.IsLoopback())
}

func checkSSOTargets(ts []string) error {
	if len(ts) > 100 {
		return errors.New("at most 100 single sign-on targets per application")
	}
	for _, t := range ts {
		if err := checkSSOTarget(t); err != nil {
			return err
		}
	}
	return nil
}

func (s ApplicationSpec) check() error {
	if !validToken(s.ID, 128) {
		return errors.New("application id must be 1..128 characters of A-Z a-z 0-9 . - _ +")
	}
	if s.Name == "" || len(s.Name) > 100 || strings.IndexFunc(s.Name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 {
		return errors.New("application name must be 1..100 bytes without control or format characters")
	}
	if len(s.RedirectURIs) == 0 {
		return errors.New("an application needs at least one redirect URI")
	}
	for _, u := range s.RedirectURIs {
		if err := checkRedirectURI(u); err != nil {
			return err
		}
	}
	if err := checkSSOTargets(s.SSOTargets); err != nil {
		return err
	}
	for _, p := range s.Platforms {
		if !validToken(p, 32) {
			return fmt.Errorf("platform %q must be 1..32 characters of A-Z a-z 0-9 . - _ +", p)
		}
	}
	for _, v := range s.Versions {
		if !validToken(v, 64) {
			return fmt.Errorf("version %q must be 1..64 characters of A-Z a-z 0-9 . - _ +", v)
		}
	}
	return nil
}

// CreateApplication creates an application.
func (a *Admin) CreateApplication(ctx context.Context, spec ApplicationSpec) error {
	if err := spec.check(); err != nil {
		return err
	}
	app := store.Application{ID: spec.ID, Name: spec.Name, RedirectURIs: dedupe(spec.RedirectURIs), Platforms: dedupe(spec.Platforms),
		Versions: dedupe(spec.Versions), SSOTargets: dedupe(spec.SSOTargets), Disabled: spec.Disabled, CreatedAt: time.Now().UnixMilli()}
	err := a.Store.InTx(ctx, func(tx store.Tx) error { return tx.CreateApplication(ctx, app) })
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%w: %s", ErrApplicationExists, spec.ID)
	}
	a.notify()
	return err
}

// ListApplications lists the applications ordered by id.
func (a *Admin) ListApplications(ctx context.Context) ([]store.Application, error) {
	var out []store.Application
	err := a.Store.View(ctx, func(tx store.Tx) error {
		var err error
		out, err = tx.ListApplications(ctx)
		return err
	})
	return out, err
}

// SetApplicationEnabled enables or disables an application. A disabled
// application's apps can neither register new clients nor log users in.
func (a *Admin) SetApplicationEnabled(ctx context.Context, id string, enabled bool) error {
	err := a.Store.InTx(ctx, func(tx store.Tx) error {
		app, err := tx.GetApplication(ctx, id)
		if err != nil {
			return err
		}
		app.Disabled = !enabled
		return tx.UpdateApplication(ctx, app)
	})
	a.notify()
	return appErr(err, id)
}

// SetApplicationSSOTargets replaces an application's app-to-web single
// sign-on targets (issue 17; none: single sign-on off). Sign-on URLs already
// issued for a target that is no longer listed are refused at redemption.
func (a *Admin) SetApplicationSSOTargets(ctx context.Context, id string, targets []string) error {
	if err := checkSSOTargets(targets); err != nil {
		return err
	}
	err := a.Store.InTx(ctx, func(tx store.Tx) error {
		app, err := tx.GetApplication(ctx, id)
		if err != nil {
			return err
		}
		app.SSOTargets = dedupe(targets)
		return tx.UpdateApplication(ctx, app)
	})
	a.notify()
	return appErr(err, id)
}

// DeleteApplication deletes an application (its registered clients can no
// longer log users in; registering again needs a new application).
func (a *Admin) DeleteApplication(ctx context.Context, id string) error {
	err := a.Store.InTx(ctx, func(tx store.Tx) error { return tx.DeleteApplication(ctx, id) })
	a.notify()
	return appErr(err, id)
}

func appErr(err error, id string) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %s", ErrApplicationNotFound, id)
	}
	return err
}

// seedDemoApplication creates the demo application unless it exists.
func seedDemoApplication(ctx context.Context, tx store.Tx) error {
	if _, err := tx.GetApplication(ctx, DemoAppID); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return tx.CreateApplication(ctx, store.Application{ID: DemoAppID, Name: DemoAppName, RedirectURIs: []string{DemoRedirectURI},
		CreatedAt: time.Now().UnixMilli()})
}

// ResetUserDevices removes every mobile-authentication enrollment of a user
// (the operator action DESIGN §10 asks for before a user's enrolled device
// can be replaced): the removed devices learn it from their next request
// (user_disenrolled), and the user's next enrollment starts fresh under any
// policy. It returns how many enrollments were removed.
func (a *Admin) ResetUserDevices(ctx context.Context, userID string) (int, error) {
	n := 0
	err := a.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.GetUser(ctx, userID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no such user: %s", userID)
			}
			return err
		}
		if err := tx.LockUser(ctx, userID); err != nil {
			return err
		}
		es, err := tx.EnrollmentsOfUser(ctx, userID)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := tx.DeleteEnrollment(ctx, e.ID); err != nil {
				return err
			}
			if err := tx.PutSetting(ctx, enrollpolicy.DisenrolledKey(e.ProfileID), "operator"); err != nil {
				return err
			}
		}
		n = len(es)
		// The browser sessions end too: "Continue as" on the login page
		// would otherwise register a new device for the user from the lost
		// phone's browser.
		return tx.EndWebSessionsOfUser(ctx, userID)
	})
	a.notify()
	return n, err
}

func dedupe(s []string) []string {
	var out []string
	for _, v := range s {
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
