package store

import "context"

const cbCols = "id, api_client_id, url, body, attempts, next_attempt_at, delivered_at, dead, last_error, created_at"

func scanCallback(r scanner) (Callback, error) {
	var c Callback
	var dead int
	err := r.Scan(&c.ID, &c.APIClientID, &c.URL, &c.Body, &c.Attempts, &c.NextAttemptAt, &c.DeliveredAt, &dead, &c.LastError, &c.CreatedAt)
	c.Dead = dead != 0
	return c, noRow(err)
}

// EnqueueCallback adds a callback to the outbox.
func (t *sqlTx) EnqueueCallback(ctx context.Context, c Callback) error {
	_, err := t.exec(ctx, "INSERT INTO outbox ("+cbCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.ID, c.APIClientID, c.URL, c.Body, c.Attempts, c.NextAttemptAt, c.DeliveredAt, b2i(c.Dead), c.LastError, c.CreatedAt)
	return err
}

// DueCallbacks lists undelivered, live callbacks whose next attempt is due.
func (t *sqlTx) DueCallbacks(ctx context.Context, now int64, limit int) ([]Callback, error) {
	rows, err := t.tx.QueryContext(ctx, t.d.q("SELECT "+cbCols+" FROM outbox WHERE delivered_at = 0 AND dead = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"), now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Callback
	for rows.Next() {
		c, err := scanCallback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LeaseCallback moves next_attempt_at from prev to until (optimistic lease).
func (t *sqlTx) LeaseCallback(ctx context.Context, id string, prev, until int64) (bool, error) {
	n, err := t.exec(ctx, "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND delivered_at = 0 AND dead = 0", until, id, prev)
	return n == 1, err
}

// MarkCallbackDelivered records a 2xx delivery.
func (t *sqlTx) MarkCallbackDelivered(ctx context.Context, id string, now int64) error {
	_, err := t.exec(ctx, "UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?", now, id)
	return err
}

// RescheduleCallback records a failed attempt.
func (t *sqlTx) RescheduleCallback(ctx context.Context, id string, attempts int, next int64, lastErr string, dead bool) error {
	_, err := t.exec(ctx, "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, dead = ? WHERE id = ?", attempts, next, lastErr, b2i(dead), id)
	return err
}

// GetCallback returns one outbox row.
func (t *sqlTx) GetCallback(ctx context.Context, id string) (Callback, error) {
	return scanCallback(t.row(ctx, "SELECT "+cbCols+" FROM outbox WHERE id = ?", id))
}

// PendingCallbacks counts undelivered, live callbacks.
func (t *sqlTx) PendingCallbacks(ctx context.Context) (int, error) {
	var n int
	err := t.row(ctx, "SELECT COUNT(*) FROM outbox WHERE delivered_at = 0 AND dead = 0").Scan(&n)
	return n, err
}
