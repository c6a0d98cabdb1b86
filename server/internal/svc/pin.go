package svc

// PinAllowed applies the PIN policy: exactly length digits, not all the same
// digit, not a straight ascending or descending sequence (12345, 98765).
func PinAllowed(pin string, length int) bool {
	if len(pin) != length || length == 0 {
		return false
	}
	for i := 0; i < len(pin); i++ {
		if pin[i] < '0' || pin[i] > '9' {
			return false
		}
	}
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		d := int(pin[i]) - int(pin[i-1])
		same = same && d == 0
		up = up && d == 1
		down = down && d == -1
	}
	return !same && !up && !down
}
