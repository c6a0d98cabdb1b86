package atrest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A sealed value holds no trace of the secret, opens only for its purpose
// and row under its master key, and without a key is refused, not passed
// through; unsealed values read as they are.
func TestSealOpen(t *testing.T) {
	k := New(bytes.Repeat([]byte{3}, 32))
	s, err := k.Seal(PurposeCallbackKey, "shop", "the-callback-key-0123456789")
	if err != nil || !strings.HasPrefix(s, "kek1:") || strings.Contains(s, "callback-key") {
		t.Fatalf("sealed %q %v", s, err)
	}
	if p, err := k.Open(PurposeCallbackKey, "shop", s); err != nil || p != "the-callback-key-0123456789" {
		t.Fatalf("open: %q %v", p, err)
	}
	if _, err := k.Open(PurposeCallbackKey, "other-client", s); !errors.Is(err, ErrMasterKeyWrong) {
		t.Fatalf("copied to another row: %v", err)
	}
	if _, err := k.Open(PurposeWebhookKey, "shop", s); !errors.Is(err, ErrMasterKeyWrong) {
		t.Fatalf("opened for another purpose: %v", err)
	}
	if _, err := New(bytes.Repeat([]byte{4}, 32)).Open(PurposeCallbackKey, "shop", s); !errors.Is(err, ErrMasterKeyWrong) {
		t.Fatalf("wrong master key: %v", err)
	}
	if _, err := New(nil).Open(PurposeCallbackKey, "shop", s); !errors.Is(err, ErrMasterKeyNeeded) {
		t.Fatalf("no master key: %v", err)
	}
	if p, err := New(nil).Seal(PurposeCallbackKey, "shop", "plain"); err != nil || p != "plain" {
		t.Fatalf("without a key: %q %v", p, err)
	}
	if p, err := k.Open(PurposeCallbackKey, "shop", "legacy-plain"); err != nil || p != "legacy-plain" {
		t.Fatalf("unsealed value: %q %v", p, err)
	}
}
