package enrollpolicy

import (
	"context"
	"errors"

	"github.com/openmobileauth/oma/server/store"
)

// Re-enrollment policies (DESIGN §6.7).
const (
	Single   = "single"
	Override = "override"
	Multiple = "multiple"
)

// Setting is the settings key of the re-enrollment policy.
const Setting = "mobile_auth_policy"

// Valid reports whether p is one of the three policies.
func Valid(p string) bool {
	return p == Single || p == Override || p == Multiple
}

// Current returns the policy stored under Setting, or def when none (or
// an unknown one) is stored.
func Current(ctx context.Context, tx store.Tx, def string) (string, error) {
	p, err := tx.GetSetting(ctx, Setting)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !Valid(p)) {
		return def, nil
	}
	return p, err
}
