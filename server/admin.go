package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/enrollpolicy"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// Admin performs administrative changes on a store (used by the tokenserver
// admin commands, SeedDemo and tests).
type Admin struct {
	Store  store.Store
	Argon2 Argon2Params
	// Keys seals the callback and webhook keys it stores under the master
	// key (nil or without a key: stored as they are; the server seals them
	// at its next start).
	Keys *atrest.Keys

	changed func()       // tells a running server's caches (set by Server.Admin)
	nowMs   func() int64 // the server's clock (set by Server.Admin; else the wall clock)
	// forget drops removed enrollments from a running server's cache and
	// resetLimits refills a user's rate-limit buckets (set by Server.Admin).
	forget      func(profileIDs, clientIDs []string)
	resetLimits func(ctx context.Context, userID string, profileIDs []string) error
}

func (a *Admin) now() int64 {
	if a.nowMs != nil {
		return a.nowMs()
	}
	return time.Now().UnixMilli()
}

// Admin returns the admin operations on the server's store; its changes take
// effect in the running server at once.
func (s *Server) Admin() *Admin {
	return &Admin{Store: s.st, Argon2: s.cfg.Argon2, Keys: s.env.Keys, changed: func() { s.env.ConfigEpoch.Add(1) }, nowMs: s.env.NowMs,
		forget: func(profiles, clients []string) {
			for i := range profiles {
				s.env.TxCache.ForgetEnrollment(profiles[i], clients[i])
			}
		},
		resetLimits: func(ctx context.Context, userID string, profiles []string) error {
			l := &s.env.Limits
			err := l.LoginPerUser.Reset(ctx, userID)
			for _, p := range profiles {
				err = errors.Join(err, l.PinPerProfile.Reset(ctx, p), l.BiometricPerProfile.Reset(ctx, p))
			}
			return err
		}}
}

func (a *Admin) notify() {
	if a.changed != nil {
		a.changed()
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// PutOTPType creates or updates an OTP type.
func (a *Admin) PutOTPType(ctx context.Context, name string, expiry time.Duration, template string) error {
	if name == "" || len(name) > 64 {
		return errors.New("OTP type name must be 1..64 characters")
	}
	if expiry < time.Second || expiry > 24*time.Hour {
		return errors.New("OTP type expiry must be 1s..24h")
	}
	if template == "" {
		template = "{message}"
	}
	// The template and the name reach the phone: the rule of the message
	// applies (DESIGN §5).
	if err := protocol.CheckDisplayText(name); err != nil {
		return fmt.Errorf("OTP type name: %w", err)
	}
	if err := protocol.CheckDisplayText(template); err != nil {
		return fmt.Errorf("message template: %w", err)
	}
	if !norm.NFC.IsNormalString(template) {
		template = norm.NFC.String(template)
	}
	defer a.notify()
	return a.Store.InTx(ctx, func(tx store.Tx) error {
		// An update keeps the type's push flag (SetOTPTypePush) and its
		// anti-fatigue settings (SetOTPTypeAntiFatigue).
		old, err := tx.GetOTPType(ctx, name)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		found := err == nil
		return tx.PutOTPType(ctx, store.OTPType{Name: name, ExpirySecs: int(expiry / time.Second), MessageTemplate: template, Push: found && old.Push,
			NumberMatching: found && old.NumberMatching, UserVerification: old.UserVerification})
	})
}

// SetOTPTypePush makes an existing OTP type a push type (requests need
// user_id, wake the user's push-registered devices and return no OTP;
// DESIGN §12) or an OTP type again.
func (a *Admin) SetOTPTypePush(ctx context.Context, name string, push bool) error {
	defer a.notify()
	return a.Store.InTx(ctx, func(tx store.Tx) error {
		t, err := tx.GetOTPType(ctx, name)
		if err != nil {
			return err
		}
		t.Push = push
		return tx.PutOTPType(ctx, t)
	})
}

// CreateUser creates an identity-provider user; the user id is the user name.
func (a *Admin) CreateUser(ctx context.Context, username, password string) (string, error) {
	if username == "" || len(username) > 128 || strings.ContainsAny(username, " \t\n\r") {
		return "", errors.New("user name must be 1..128 characters without spaces")
	}
	if len(password) < 8 || len(password) > 256 {
		return "", errors.New("password must be 8..256 characters")
	}
	h := secrethash.Hash(a.Argon2, password)
	err := a.Store.InTx(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{ID: username, PasswordHash: h, CreatedAt: time.Now().UnixMilli()})
	})
	return username, err
}

// SetPolicy stores the re-enrollment policy (single, override or multiple).
func (a *Admin) SetPolicy(ctx context.Context, policy string) error {
	if !enrollpolicy.Valid(policy) {
		return fmt.Errorf("policy must be single, override or multiple")
	}
	return a.Store.InTx(ctx, func(tx store.Tx) error { return tx.PutSetting(ctx, enrollpolicy.Setting, policy) })
}

// DemoSeed is what SeedDemo created (or found).
type DemoSeed struct {
	APIClientID     string
	APIClientSecret string
	CallbackKey     string // the demo API client's callback key (verifies its callbacks)
	OTPType         string
	Username        string
	Password        string
	UserID          string
	AppID           string
	RedirectURI     string
}

// Demo data names.
const (
	DemoAPIClientID = "demo-rp"
	DemoOTPType     = "demo"
	DemoUsername    = "demo"
	DemoPassword    = "demo1234"
)

// SeedDemo creates, idempotently, the demo API client, OTP type (5 minutes),
// application (DemoAppID) and user, and returns them (the existing secret when the client exists).
func (a *Admin) SeedDemo(ctx context.Context) (DemoSeed, error) {
	seed, err := a.seedDemo(ctx)
	if errors.Is(err, store.ErrConflict) {
		// Another instance seeded at the same moment: read what it stored.
		seed, err = a.seedDemo(ctx)
	}
	return seed, err
}

func (a *Admin) seedDemo(ctx context.Context) (DemoSeed, error) {
	seed := DemoSeed{APIClientID: DemoAPIClientID, OTPType: DemoOTPType, Username: DemoUsername, Password: DemoPassword, UserID: DemoUsername,
		AppID: DemoAppID, RedirectURI: DemoRedirectURI}
	err := a.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		if seed.APIClientSecret, seed.CallbackKey, err = demoAPIClient(ctx, tx, a.Keys); err != nil {
			return err
		}
		if _, err := tx.GetOTPType(ctx, DemoOTPType); errors.Is(err, store.ErrNotFound) {
			if err := tx.PutOTPType(ctx, store.OTPType{Name: DemoOTPType, ExpirySecs: 300, MessageTemplate: "{message}"}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if err := seedDemoApplication(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.GetUser(ctx, DemoUsername); errors.Is(err, store.ErrNotFound) {
			return tx.CreateUser(ctx, store.User{ID: DemoUsername, PasswordHash: secrethash.Hash(a.Argon2, DemoPassword), CreatedAt: time.Now().UnixMilli()})
		} else if err != nil {
			return err
		}
		return nil
	})
	return seed, err
}

// SeedDemo is Admin().SeedDemo.
func (s *Server) SeedDemo(ctx context.Context) (DemoSeed, error) { return s.Admin().SeedDemo(ctx) }
