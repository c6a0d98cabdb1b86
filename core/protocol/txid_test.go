package protocol

import (
	"regexp"
	"testing"
)

// RFC 9562 §4: 8-4-4-4-12 lowercase hex, version 4 (§5.4), variant 10xx.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewTransactionIDIsUUIDv4(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewTransactionID()
		if !uuidV4.MatchString(id) {
			t.Fatalf("not a version 4 UUID: %q", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
}
