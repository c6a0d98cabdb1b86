package user

import "testing"

func TestPinPolicy(t *testing.T) {
	for _, ok := range []string{"13579", "24680", "10293", "12354"} {
		if m := CheckPinPolicy(ok, 5); m != "" {
			t.Errorf("%s refused: %s", ok, m)
		}
	}
	for _, bad := range []string{"1234", "123456", "1234a", "11111", "12345", "54321", "78901", "21098", " 1357"} {
		m := CheckPinPolicy(bad, 5)
		if m == "" {
			t.Errorf("%s accepted", bad)
		}
		for _, c := range []string{bad} {
			if len(c) >= 4 && contains(m, c) {
				t.Errorf("message leaks the PIN: %q", m)
			}
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
