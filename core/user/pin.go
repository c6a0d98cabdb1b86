package user

import "fmt"

// CheckPinPolicy returns "" when pin is acceptable for a new PIN of length n,
// or a message saying why not: only digits, exactly n of them, not all the
// same digit, not a straight ascending or descending sequence. The message
// never contains the PIN.
func CheckPinPolicy(pin string, n int) string {
	if len(pin) != n {
		return fmt.Sprintf("the PIN must have exactly %d digits", n)
	}
	for i := 0; i < len(pin); i++ {
		if pin[i] < '0' || pin[i] > '9' {
			return "the PIN must contain digits only"
		}
	}
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		d := int(pin[i]) - int(pin[i-1])
		same = same && d == 0
		up = up && (d == 1 || d == -9)
		down = down && (d == -1 || d == 9)
	}
	switch {
	case same:
		return "the PIN must not repeat one digit"
	case up || down:
		return "the PIN must not be a sequence of consecutive digits"
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
