package store

import (
	"context"
	"errors"
)

// ErrInUse: the API client or OTP type still has open requests (pending or
// claimed and unexpired) or, for an API client, callbacks not yet delivered.
var ErrInUse = errors.New("store: still in use")

// DeleteAPIClient removes API client id unless it is in use (ErrInUse) or
// unknown (ErrNotFound). Its finished requests stay (history).
func DeleteAPIClient(ctx context.Context, s Store, id string, now int64) error {
	return deleteUnused(ctx, s, now, "api_clients", "id", id,
		"SELECT COUNT(*) FROM transactions WHERE api_client_id = ? AND status IN ('pending', 'claimed') AND expires_at > ?",
		"SELECT COUNT(*) FROM outbox WHERE api_client_id = ? AND delivered_at = 0 AND dead = 0")
}

// DeleteOTPType removes OTP type name unless it is in use (ErrInUse) or
// unknown (ErrNotFound).
func DeleteOTPType(ctx context.Context, s Store, name string, now int64) error {
	return deleteUnused(ctx, s, now, "otp_types", "name", name,
		"SELECT COUNT(*) FROM transactions WHERE type = ? AND status IN ('pending', 'claimed') AND expires_at > ?", "")
}

func deleteUnused(ctx context.Context, s Store, now int64, table, col, key, openQ, outboxQ string) error {
	return s.InTx(ctx, func(tx Tx) error {
		t, ok := tx.(*sqlTx)
		if !ok {
			return errors.New("store: not an SQL store")
		}
		var n int
		if err := t.row(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+col+" = ?", key).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := t.row(ctx, openQ, key, now).Scan(&n); err != nil {
			return err
		}
		if n == 0 && outboxQ != "" {
			if err := t.row(ctx, outboxQ, key).Scan(&n); err != nil {
				return err
			}
		}
		if n > 0 {
			return ErrInUse
		}
		_, err := t.exec(ctx, "DELETE FROM "+table+" WHERE "+col+" = ?", key)
		return err
	})
}
