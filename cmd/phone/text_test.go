package main

import "testing"

// The terminal phone prints characters that could mislead escaped (issue 11
// item 5): each class shows as a visible escape, ordinary text unchanged.
func TestTerminalTextEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"Log in to Example?":               "Log in to Example?",
		"Café Zoë 支付 ادفع 🎉":               "Café Zoë 支付 ادفع 🎉",
		"Pay 10\n(your usual device)":      `Pay 10\n(your usual device)`,
		"a\rb\tc":                          `a\rb\tc`,
		"a\\nb":                            `a\\nb`,
		"\x1b[2Jcleared":                   `\u{001B}[2Jcleared`,
		"a\u0085b":                         `a\u{0085}b`,
		"a\u2028b\u2029":                   `a\u{2028}b\u{2029}`,
		"Pay \u202e0001\u202c":             `Pay \u{202E}0001\u{202C}`,
		"\u2066x\u2069\u200e\u200f\u061c":  `\u{2066}x\u{2069}\u{200E}\u{200F}\u{061C}`,
		"a\u200bb\u200c\u200d\u2060\ufeff": `a\u{200B}b\u{200C}\u{200D}\u{2060}\u{FEFF}`,
		"\ue000\ufdd0\u0378":               `\u{E000}\u{FDD0}\u{0378}`,
		"bad\xffbyte":                      `bad\xFFbyte`,
	} {
		if got := terminalText(in); got != want {
			t.Errorf("terminalText(%q) = %q, want %q", in, got, want)
		}
	}
}
