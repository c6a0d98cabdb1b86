package server

import (
	"context"
	"fmt"
	"net/http"

	"github.com/openmobileauth/oma/server/auditwebhook"
)

// newAuditHook builds the audit webhook of the configuration: the
// operator's key, or the store's generated one (sealed under the master
// key when one is given).
func (s *Server) newAuditHook(ctx context.Context, client *http.Client) (*auditwebhook.Webhook, error) {
	key := s.cfg.AuditWebhookKey
	if key == "" {
		k, created, err := auditwebhook.LoadOrCreateKey(ctx, s.st, s.cfg.MasterKey)
		if err != nil {
			return nil, fmt.Errorf("server: audit webhook key: %w", err)
		}
		if created {
			s.log.Info().Msg("audit webhook: a signing key was generated and stored; print it with tokenserver audit-webhook key")
		}
		key = k
	}
	h, err := auditwebhook.New(s.st, auditwebhook.Config{URL: s.cfg.AuditWebhookURL, Key: key, KeyID: auditwebhook.KeyID(key),
		Outbox: s.cfg.AuditWebhook, Client: client}, s.cfg.PublicBaseURL, s.log.With().Str("component", "audit_webhook").Logger())
	if err != nil {
		return nil, err
	}
	h.OnResult(s.metrics.AuditWebhook)
	return h, nil
}
