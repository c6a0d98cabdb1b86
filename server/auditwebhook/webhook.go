package auditwebhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/audit"
	"github.com/openmobileauth/oma/server/outbox"
	"github.com/openmobileauth/oma/server/store"
)

// Config configures the webhook. An empty URL disables it.
type Config struct {
	URL    string
	Key    string // HMAC key (KeyFromFile or LoadOrCreateKey)
	KeyID  string // sent as X-OMA-Key-Id
	Outbox outbox.Config
	Client *http.Client // nil: no redirects, Outbox.Timeout
}

// Payload is the JSON body of one delivery: the audit event with its id
// (also X-OMA-Event-Id: the same on every retry) and the server that
// recorded it.
type Payload struct {
	ID     string `json:"id"`
	Server string `json:"server"`
	audit.Event
}

// Webhook queues audit events and delivers them.
type Webhook struct {
	*outbox.Retrier[store.AuditRow]
	st     store.Store
	server string
	log    zerolog.Logger
}

// New returns the webhook of cfg on st; server names this Token Server in
// each payload (its public base URL).
func New(st store.Store, cfg Config, server string, log zerolog.Logger) (*Webhook, error) {
	if cfg.URL == "" || cfg.Key == "" {
		return nil, errors.New("auditwebhook: a URL and a key are needed")
	}
	timeout := cfg.Outbox.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	client := cfg.Client
	if client == nil {
		client = outbox.NoRedirectClient(timeout)
	}
	q := queue{st: st, client: client, url: cfg.URL, key: cfg.Key, keyID: cfg.KeyID}
	return &Webhook{Retrier: outbox.NewRetrier[store.AuditRow](q, cfg.Outbox, log, "audit_event"), st: st, server: server, log: log}, nil
}

// Sink queues ev (an audit.Sink): one INSERT into the audit outbox, then a
// wake-up of the worker. A failed INSERT is logged (the log record exists).
func (w *Webhook) Sink(ev audit.Event) {
	p := Payload{ID: protocol.RandomToken(12), Server: w.server, Event: ev}
	b, err := json.Marshal(p)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		now := time.Now().UnixMilli()
		err = store.EnqueueAudit(ctx, w.st, store.AuditRow{ID: p.ID, Body: string(b), NextAttemptAt: now, CreatedAt: now})
		cancel()
	}
	if err != nil {
		w.log.Error().Err(err).Str("event", ev.Event).Msg("audit webhook: queueing the event")
		return
	}
	w.Wake()
}

// queue is the store's audit outbox as an outbox.Queue.
type queue struct {
	st              store.Store
	client          *http.Client
	url, key, keyID string
}

func (q queue) Due(ctx context.Context, now int64, limit int) ([]store.AuditRow, error) {
	return store.DueAudits(ctx, q.st, now, limit)
}

func (queue) Key(r store.AuditRow) (string, int, int64) { return r.ID, r.Attempts, r.NextAttemptAt }

func (q queue) Lease(ctx context.Context, id string, prev, until int64) (bool, error) {
	return store.LeaseAudit(ctx, q.st, id, prev, until)
}

func (q queue) Delivered(ctx context.Context, id string, now int64) error {
	return store.MarkAuditDelivered(ctx, q.st, id, now)
}

func (q queue) Failed(ctx context.Context, id string, attempts int, next int64, lastErr string, dead bool) error {
	return store.RescheduleAudit(ctx, q.st, id, attempts, next, lastErr, dead)
}

func (q queue) Send(ctx context.Context, r store.AuditRow) error {
	return outbox.Post(ctx, q.client, q.url, "oma-tokenserver-audit/1", r.ID, q.key, q.keyID, []byte(r.Body))
}
