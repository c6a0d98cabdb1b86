package deps

import "time"

// Clock tells the time. The server reads expiries (OTPs, codes, tokens) from
// Env.Clock so tests can move them to a boundary without sleeping; freshness
// windows of device-signed times (proof iat, answer time) are checked against
// Env.Wall, because devices sign with their own real clocks.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
