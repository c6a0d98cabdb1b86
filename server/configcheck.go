package server

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/server/egress"
	"github.com/openmobileauth/oma/server/enrollpolicy"
)

// Check returns c with the defaults applied, or why New would refuse it
// (without opening the store): `tokenserver config check`.
func (c Config) Check() (Config, error) {
	err := c.prepare()
	return c, err
}

// prepare applies the defaults and validates c (New and Check).
func (c *Config) prepare() error {
	explicitBase := c.PublicBaseURL != ""
	c.defaults()
	if !explicitBase {
		if host, _, err := net.SplitHostPort(c.ListenAddr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
			return errors.New("server: listening on all interfaces needs PublicBaseURL (--base-url): the URL devices use, which their proofs sign")
		}
	}
	if u, err := url.Parse(c.PublicBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return fmt.Errorf("server: PublicBaseURL %q must be an absolute http(s) URL without a query", c.PublicBaseURL)
	}
	if !enrollpolicy.Valid(c.Policy) {
		return fmt.Errorf("server: unknown policy %q", c.Policy)
	}
	if c.PinLength < 4 || c.PinLength > 12 {
		return errors.New("server: PinLength must be 4..12")
	}
	if _, err := zerolog.ParseLevel(strings.ToLower(c.LogLevel)); err != nil || c.LogLevel == "" {
		return fmt.Errorf("server: unknown log level %q", c.LogLevel)
	}
	if c.AuditWebhookURL != "" {
		if u, err := url.Parse(c.AuditWebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("server: AuditWebhookURL (--audit-webhook-url) must be an absolute http(s) URL")
		}
		// The dial-time guard is the real check (server/egress); a literal
		// internal address is refused here already.
		var re *egress.RefusedError
		if err := egress.CheckURL(c.AuditWebhookURL, c.AllowPrivateEgress); errors.As(err, &re) {
			return fmt.Errorf("server: AuditWebhookURL (--audit-webhook-url) points at a %s address: allow with --allow-private-egress", re.Reason)
		}
	}
	return nil
}
