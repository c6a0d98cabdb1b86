package deps

import "time"

// PushEnv is what the device and relying-party APIs need of push mobile
// authentication (DESIGN §12); the sending itself is server/push's outbox.
type PushEnv struct {
	// Supports tells whether the deployment sends to a provider (fcm, apns,
	// webpush); nil: none.
	Supports func(provider string) bool
	// AllowPrivateEndpoints: Web Push subscriptions may name http:// and
	// private-address endpoints (development).
	AllowPrivateEndpoints bool
	// VAPIDPublicKey is the Web Push application server key ("" without
	// the webpush driver).
	VAPIDPublicKey string
	// Wake asks the push outbox to send now.
	Wake func()
	// MaxPending is the most open (unanswered, unexpired) push requests a
	// user may have; one more is refused (default 1).
	MaxPending int
	// Back-off on repeated creation for one user: the n-th request in a row
	// must wait BackoffBase·2^(n-2) (at most BackoffMax) after the previous
	// one; a gap of BackoffReset starts a new row.
	BackoffBase, BackoffMax, BackoffReset time.Duration
}

// PushBackoff is how long after the previous request of a streak of n
// requests the next one may be created (0 for the first).
func (p PushEnv) PushBackoff(streak int) time.Duration {
	if streak <= 0 || p.BackoffBase <= 0 {
		return 0
	}
	d := p.BackoffBase
	for i := 1; i < streak && d < p.BackoffMax; i++ {
		d *= 2
	}
	return min(d, p.BackoffMax)
}
