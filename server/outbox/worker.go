package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// Body is the JSON body POSTed to a callback URI (DESIGN §5).
type Body struct {
	CallbackURI   string `json:"callback_uri"`
	TransactionID string `json:"transaction_id"`
}

// NewCallback builds the outbox row announcing transaction txID, due now.
func NewCallback(apiClientID, uri, txID string, nowMs int64) store.Callback {
	b, _ := json.Marshal(Body{CallbackURI: uri, TransactionID: txID})
	return store.Callback{ID: protocol.RandomToken(12), APIClientID: apiClientID, URL: uri, Body: string(b), NextAttemptAt: nowMs, CreatedAt: nowMs}
}

// Config tunes delivery.
type Config struct {
	MaxAttempts  int           // retry budget (default 12)
	BaseBackoff  time.Duration // delay after the first failure (default 1s), doubled each time
	MaxBackoff   time.Duration // cap of the delay (default 10m)
	Timeout      time.Duration // per request (default 10s)
	PollInterval time.Duration // how often the table is scanned without a wake-up (default 1s)
	Concurrency  int           // parallel deliveries (default 8)
	// LeaseMargin is how much longer than Timeout a row stays leased to the
	// worker sending it (default 5s): room for recording the outcome and
	// for clock differences between instances.
	LeaseMargin time.Duration
}

func (c *Config) defaults() {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 12
	}
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 10 * time.Minute
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.LeaseMargin <= 0 {
		c.LeaseMargin = 5 * time.Second
	}
}

// Worker delivers due callbacks: a Retrier of the store's callback outbox.
// Several workers (server instances) may share one store: a row is leased
// by a conditional update before it is sent.
type Worker struct {
	*Retrier[store.Callback]
}

// Callback outcomes passed to the function set by OnResult.
const (
	ResultDelivered = "delivered"
	ResultRetried   = "retried" // failed; another attempt is scheduled
	ResultFailed    = "failed"  // failed for the last time
)

// NewWorker returns a worker; client may be nil (one with cfg.Timeout is made).
func NewWorker(st store.Store, cfg Config, client *http.Client, log zerolog.Logger) *Worker {
	return NewKeyedWorker(st, cfg, client, log, nil)
}

// OpenKey returns the callback key a stored value holds (it may be sealed
// under the master key: server/atrest); nil takes the stored value as is.
type OpenKey func(clientID, stored string) (string, error)

// NewKeyedWorker is NewWorker with the callback keys opened by open.
func NewKeyedWorker(st store.Store, cfg Config, client *http.Client, log zerolog.Logger, open OpenKey) *Worker {
	cfg.defaults()
	if client == nil {
		client = NoRedirectClient(cfg.Timeout)
	}
	return &Worker{NewRetrier[store.Callback](callbacks{st: st, client: client, open: open}, cfg, log, "callback")}
}

// NoRedirectClient is an HTTP client with timeout that never follows a
// redirect (a receiver's 3xx is a failed delivery).
func NoRedirectClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// callbacks is the store's callback outbox as a Queue.
type callbacks struct {
	st     store.Store
	client *http.Client
	open   OpenKey
}

func (q callbacks) Due(ctx context.Context, now int64, limit int) ([]store.Callback, error) {
	var due []store.Callback
	err := q.st.View(ctx, func(tx store.Tx) error {
		var err error
		due, err = tx.DueCallbacks(ctx, now, limit)
		return err
	})
	return due, err
}

func (callbacks) Key(cb store.Callback) (string, int, int64) {
	return cb.ID, cb.Attempts, cb.NextAttemptAt
}

func (q callbacks) Lease(ctx context.Context, id string, prev, until int64) (ok bool, err error) {
	err = q.st.InTx(ctx, func(tx store.Tx) error {
		ok, err = tx.LeaseCallback(ctx, id, prev, until)
		return err
	})
	return ok, err
}

func (q callbacks) Delivered(ctx context.Context, id string, now int64) error {
	return q.st.InTx(ctx, func(tx store.Tx) error { return tx.MarkCallbackDelivered(ctx, id, now) })
}

func (q callbacks) Failed(ctx context.Context, id string, attempts int, next int64, lastErr string, dead bool) error {
	return q.st.InTx(ctx, func(tx store.Tx) error { return tx.RescheduleCallback(ctx, id, attempts, next, lastErr, dead) })
}

var (
	errNoClient = errors.New("API client no longer exists")
	errNoKey    = errors.New("API client has no callback key")
	// errKeySealed: the stored callback key does not open under this
	// server's master key.
	errKeySealed = errors.New("the API client's callback key does not open under the master key")
)

// Send POSTs the callback signed with its API client's callback key.
func (q callbacks) Send(ctx context.Context, cb store.Callback) error {
	var key, keyID string
	err := q.st.View(ctx, func(tx store.Tx) error {
		c, err := tx.GetAPIClient(ctx, cb.APIClientID)
		key, keyID = c.CallbackKey, c.CallbackKeyID
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNoClient
	} else if err != nil {
		return err
	}
	if key != "" && q.open != nil {
		if key, err = q.open(cb.APIClientID, key); err != nil {
			return errKeySealed
		}
	}
	if key == "" {
		return errNoKey
	}
	return Post(ctx, q.client, cb.URL, "oma-tokenserver-callback/1", cb.ID, key, keyID, []byte(cb.Body))
}

// Post sends body to url signed as event eventID with key (named keyID in
// X-OMA-Key-Id) at the current time; any answer but a 2xx is an error.
// The callback worker and the audit webhook both send this way.
func Post(ctx context.Context, client *http.Client, url, userAgent, eventID, key, keyID string, body []byte) error {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bad URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set(HeaderEventID, eventID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderKeyID, keyID)
	req.Header.Set(HeaderSignature, Sign(key, ts, eventID, body))
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("POST failed: %s", trimErr(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

func trimErr(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return ue.Unwrap().Error()
	}
	return err.Error()
}
