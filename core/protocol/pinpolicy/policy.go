package pinpolicy

import "strconv"

// Reason says why a PIN is refused; OK when it is not.
type Reason int

// The reasons.
const (
	OK Reason = iota
	WrongLength
	NotDigits
	SimilarDigits
	Sequence
	Blacklisted
)

// Code is the SDK error code the reason is reported with (0 for OK); see
// the package comment for the choice of numbers.
func (r Reason) Code() int {
	switch r {
	case OK:
		return 0
	case Blacklisted:
		return 9011
	case Sequence:
		return 9012
	case SimilarDigits:
		return 9013
	case WrongLength:
		return 9014
	}
	return 8015 // NotDigits: PIN_NOT_ALLOWED
}

// Message is a user-facing explanation (never containing the PIN).
func (r Reason) Message(length int) string {
	switch r {
	case OK:
		return ""
	case WrongLength:
		return "the PIN must have exactly " + strconv.Itoa(length) + " digits"
	case NotDigits:
		return "the PIN must contain digits only"
	case SimilarDigits:
		return "the PIN must not repeat one digit"
	case Sequence:
		return "the PIN must not be a sequence of consecutive digits"
	case Blacklisted:
		return "the PIN is too easy to guess"
	}
	return "the PIN is not allowed"
}

// Blacklist holds widely used PINs that no other rule catches.
var Blacklist = []string{"1004", "2000", "6969", "1122", "1313", "2001", "1010", "11223", "12321", "112233", "123123", "121314", "696969"}

// Check applies the policy to pin for PINs of length digits.
func Check(pin string, length int) Reason {
	if length <= 0 || len(pin) != length {
		return WrongLength
	}
	for i := 0; i < len(pin); i++ {
		if pin[i] < '0' || pin[i] > '9' {
			return NotDigits
		}
	}
	same, up, down, alternating := true, true, true, len(pin) > 2
	for i := 1; i < len(pin); i++ {
		d := (int(pin[i]) - int(pin[i-1]) + 10) % 10
		same = same && d == 0
		up = up && d == 1
		down = down && d == 9
		if i >= 2 {
			alternating = alternating && pin[i] == pin[i-2]
		}
	}
	switch {
	case same:
		return SimilarDigits
	case up || down:
		return Sequence
	case alternating:
		return Blacklisted
	}
	for _, b := range Blacklist {
		if pin == b {
			return Blacklisted
		}
	}
	return OK
}

// Example is a PIN with the reason the policy gives for it.
type Example struct {
	PIN    string
	Length int
	Want   Reason
}

// Examples is the shared table the SDK's and the server's tests both run:
// the same PINs must be refused (or accepted) on both sides.
var Examples = []Example{
	{"13579", 5, OK}, {"24680", 5, OK}, {"86420", 5, OK}, {"97531", 5, OK}, {"10293", 5, OK}, {"1357", 4, OK}, {"135792", 6, OK},
	{"1234", 5, WrongLength}, {"123456", 5, WrongLength}, {"", 5, WrongLength}, {"13579 ", 5, WrongLength},
	{"abcde", 5, NotDigits}, {"1357a", 5, NotDigits}, {"1 357", 5, NotDigits}, {"١٣٥٧٩", 5, WrongLength},
	{"11111", 5, SimilarDigits}, {"00000", 5, SimilarDigits}, {"7777", 4, SimilarDigits},
	{"12345", 5, Sequence}, {"98765", 5, Sequence}, {"78901", 5, Sequence}, {"21098", 5, Sequence}, {"90123", 5, Sequence},
	{"09876", 5, Sequence}, {"567890", 6, Sequence}, {"3210", 4, Sequence},
	{"12121", 5, Blacklisted}, {"90909", 5, Blacklisted}, {"2000", 4, Blacklisted}, {"11223", 5, Blacklisted}, {"12321", 5, Blacklisted},
}
