package loadgen

import "crypto/ecdsa"

// SetEnrollmentKey replaces d's enrollment key (tests: answers signed by a
// key the server does not know).
func SetEnrollmentKey(d *Device, k *ecdsa.PrivateKey) { d.encKey = k }
