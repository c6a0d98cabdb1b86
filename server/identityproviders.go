package server

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/atrest"
	"github.com/openmobileauth/oma/server/store"
)

// IdentityProviderSpec describes an identity provider of an application
// (issue 17) to create: Kind "browser" (the login page) or "custom" (custom
// registration through the operator's backend at URL).
type IdentityProviderSpec struct {
	AppID string
	ID    string
	Name  string
	Kind  string
	URL   string // custom only: https, or http to a loopback host
}

// Errors of the identity provider admin operations.
var (
	ErrIdentityProviderExists   = errors.New("the application has an identity provider with this id")
	ErrIdentityProviderNotFound = errors.New("no such identity provider")
)

func (s IdentityProviderSpec) check() error {
	if !validToken(s.ID, 64) {
		return errors.New("identity provider id must be 1..64 characters of A-Z a-z 0-9 . - _ +")
	}
	if s.Name == "" || len(s.Name) > 100 || strings.IndexFunc(s.Name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 {
		return errors.New("identity provider name must be 1..100 bytes without control or format characters")
	}
	switch s.Kind {
	case protocol.IdPTypeBrowser:
		if s.URL != "" {
			return errors.New("a browser identity provider takes no URL (it is this server's login page)")
		}
	case protocol.IdPTypeCustom:
		u, err := url.Parse(s.URL)
		if err != nil || len(s.URL) > 512 || u.Host == "" || u.User != nil || u.Fragment != "" {
			return fmt.Errorf("webhook URL %q must be an absolute http(s) URL without credentials or fragment", s.URL)
		}
		h := u.Hostname()
		if u.Scheme != "https" && !(u.Scheme == "http" && (h == "localhost" || h == "127.0.0.1" || h == "::1")) {
			return fmt.Errorf("webhook URL %q must be https (http only for loopback hosts)", s.URL)
		}
	default:
		return fmt.Errorf("identity provider type must be %s or %s", protocol.IdPTypeBrowser, protocol.IdPTypeCustom)
	}
	return nil
}

// CreateIdentityProvider creates an identity provider for an existing
// application. For a custom one it returns the webhook key (shown once:
// the operator's backend verifies requests and signs answers with it).
func (a *Admin) CreateIdentityProvider(ctx context.Context, spec IdentityProviderSpec) (webhookKey string, err error) {
	if err := spec.check(); err != nil {
		return "", err
	}
	if spec.Kind == protocol.IdPTypeCustom {
		webhookKey = protocol.RandomToken(32)
	}
	sealed, err := a.Keys.Seal(atrest.PurposeWebhookKey, atrest.WebhookRow(spec.AppID, spec.ID), webhookKey)
	if err != nil {
		return "", err
	}
	p := store.IdentityProvider{ID: spec.ID, AppID: spec.AppID, Name: spec.Name, Kind: spec.Kind, URL: spec.URL, WebhookKey: sealed, CreatedAt: time.Now().UnixMilli()}
	err = a.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.GetApplication(ctx, spec.AppID); err != nil {
			return appErr(err, spec.AppID)
		}
		return tx.CreateIdentityProvider(ctx, p)
	})
	if errors.Is(err, store.ErrConflict) {
		return "", fmt.Errorf("%w: %s/%s", ErrIdentityProviderExists, spec.AppID, spec.ID)
	}
	if err != nil {
		return "", err
	}
	return webhookKey, nil
}

// ListIdentityProviders lists the identity providers of application appID
// ("" = all), without their keys.
func (a *Admin) ListIdentityProviders(ctx context.Context, appID string) ([]store.IdentityProvider, error) {
	var out []store.IdentityProvider
	err := a.Store.View(ctx, func(tx store.Tx) error {
		var err error
		out, err = tx.ListIdentityProviders(ctx, appID)
		return err
	})
	for i := range out {
		out[i].WebhookKey = ""
	}
	return out, err
}

// DeleteIdentityProvider deletes an identity provider with its open custom
// registrations.
func (a *Admin) DeleteIdentityProvider(ctx context.Context, appID, id string) error {
	err := a.Store.InTx(ctx, func(tx store.Tx) error { return tx.DeleteIdentityProvider(ctx, appID, id) })
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %s/%s", ErrIdentityProviderNotFound, appID, id)
	}
	return err
}
