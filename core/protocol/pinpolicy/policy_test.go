package pinpolicy

import "testing"

func TestExamples(t *testing.T) {
	for _, e := range Examples {
		if got := Check(e.PIN, e.Length); got != e.Want {
			t.Errorf("Check(%q, %d) = %d, want %d", e.PIN, e.Length, got, e.Want)
		}
		if msg := Check(e.PIN, e.Length).Message(e.Length); e.PIN != "" && msg != "" && containsPIN(msg, e.PIN) {
			t.Errorf("message for %q contains the PIN", e.PIN)
		}
	}
	if NotDigits.Code() != 8015 || Sequence.Code() != 9012 || Blacklisted.Code() != 9011 || SimilarDigits.Code() != 9013 || WrongLength.Code() != 9014 || OK.Code() != 0 {
		t.Fatal("codes changed")
	}
}

func containsPIN(msg, pin string) bool {
	for i := 0; i+len(pin) <= len(msg); i++ {
		if msg[i:i+len(pin)] == pin {
			return true
		}
	}
	return false
}
