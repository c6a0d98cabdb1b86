package server_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// transaction_id is a UUID (Onegini Token Server v4 API); version 4, RFC 9562 §5.4.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestRPTransactionIDIsUUID: a new transaction's id is a version 4 UUID and it
// can be fetched by it; a transaction stored under the earlier 22-character
// base64url format (before the upgrade) is still found by its id.
func TestRPTransactionIDIsUUID(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	id, _, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "Log in?"})
	if err != nil {
		t.Fatal(err)
	}
	if !uuidV4.MatchString(id) {
		t.Fatalf("transaction_id %q is not a version 4 UUID", id)
	}
	got, err := ts.Transaction(ctx, id)
	if err != nil || got.TransactionID != id {
		t.Fatalf("fetch by UUID: %+v, %v", got, err)
	}

	legacy := protocol.RandomToken(16) // the format ids had before
	if len(legacy) != 22 {
		t.Fatalf("legacy id %q", legacy)
	}
	now := time.Now()
	if err := ts.Server.Store().Autocommit(ctx, func(x store.Tx) error {
		return x.CreateTransaction(ctx, store.Transaction{ID: legacy, OTPHash: "legacy-" + legacy, APIClientID: ts.APIClientID, Type: ts.OTPType,
			Message: "Log in?", Status: store.StatusPending, CreatedAt: now.UnixMilli(), ExpiresAt: now.Add(time.Minute).UnixMilli()})
	}); err != nil {
		t.Fatal(err)
	}
	old, err := ts.Transaction(ctx, legacy)
	if err != nil || old.TransactionID != legacy || old.Status != "pending" {
		t.Fatalf("fetch by a legacy id: %+v, %v", old, err)
	}
}
