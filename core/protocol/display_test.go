package protocol

import (
	"errors"
	"strings"
	"testing"
)

// Each class of character that could mislead the user is refused, by class
// and position; ordinary text of many scripts passes.
func TestCheckDisplayTextRefusesEachClass(t *testing.T) {
	for _, c := range []struct {
		name, s, class string
		r              rune
	}{
		{"LF forges a line", "Pay 10 EUR\n(your usual device)", ClassLineBreak, '\n'},
		{"CR", "a\rb", ClassLineBreak, '\r'},
		{"VT", "a\vb", ClassLineBreak, '\v'},
		{"FF", "a\fb", ClassLineBreak, '\f'},
		{"NEL U+0085", "a\u0085b", ClassLineBreak, 0x85},
		{"line separator U+2028", "a\u2028b", ClassLineBreak, 0x2028},
		{"paragraph separator U+2029", "a\u2029b", ClassLineBreak, 0x2029},
		{"tab (C0)", "a\tb", ClassControl, '\t'},
		{"NUL (C0)", "a\x00b", ClassControl, 0},
		{"ESC (C0, ANSI)", "a\x1b[2Jb", ClassControl, 0x1b},
		{"DEL", "a\x7fb", ClassControl, 0x7f},
		{"C1 U+0080", "a\u0080b", ClassControl, 0x80},
		{"C1 CSI U+009B", "a\u009bb", ClassControl, 0x9b},
		{"LRE U+202A", "a\u202ab", ClassBidi, 0x202a},
		{"RLE U+202B", "a\u202bb", ClassBidi, 0x202b},
		{"PDF U+202C", "a\u202cb", ClassBidi, 0x202c},
		{"LRO U+202D", "a\u202db", ClassBidi, 0x202d},
		{"RLO U+202E reverses digits", "Pay \u202e0001\u202c EUR", ClassBidi, 0x202e},
		{"LRI U+2066", "a\u2066b", ClassBidi, 0x2066},
		{"RLI U+2067", "a\u2067b", ClassBidi, 0x2067},
		{"FSI U+2068", "a\u2068b", ClassBidi, 0x2068},
		{"PDI U+2069", "a\u2069b", ClassBidi, 0x2069},
		{"LRM U+200E", "a\u200eb", ClassBidi, 0x200e},
		{"RLM U+200F", "a\u200fb", ClassBidi, 0x200f},
		{"ALM U+061C", "a\u061cb", ClassBidi, 0x061c},
		{"ZWSP U+200B", "a\u200bb", ClassZeroWidth, 0x200b},
		{"ZWNJ U+200C", "a\u200cb", ClassZeroWidth, 0x200c},
		{"ZWJ U+200D", "a\u200db", ClassZeroWidth, 0x200d},
		{"word joiner U+2060", "a\u2060b", ClassZeroWidth, 0x2060},
		{"BOM U+FEFF", "\ufeffab", ClassZeroWidth, 0xfeff},
		{"soft hyphen U+00AD", "a\u00adb", ClassFormat, 0xad},
		{"invisible times U+2062", "a\u2062b", ClassFormat, 0x2062},
		{"tag U+E0041", "a\U000E0041b", ClassFormat, 0xe0041},
		{"private use U+E000", "a\ue000b", ClassPrivateUse, 0xe000},
		{"private use plane 15", "a\U000F0000b", ClassPrivateUse, 0xf0000},
		{"non-character U+FDD0", "a\ufdd0b", ClassNonCharacter, 0xfdd0},
		{"non-character U+FFFE", "a\ufffeb", ClassNonCharacter, 0xfffe},
		{"non-character U+1FFFF", "a\U0001FFFFb", ClassNonCharacter, 0x1ffff},
		{"unassigned U+0378", "a\u0378b", ClassUnassigned, 0x378},
		{"unassigned U+E0080", "a\U000E0080b", ClassUnassigned, 0xe0080},
		{"combining run", "a" + strings.Repeat("\u0301", MaxCombiningRun+1), ClassCombiningRun, 0x301},
		{"space run", "a" + strings.Repeat(" ", MaxSpaceRun+1) + "(your usual device)", ClassSpaceRun, ' '},
		{"mixed space run", "a \u2003\u3000\u00a0b", ClassSpaceRun, 0xa0},
		{"Hangul filler", "a\u3164b", ClassInvisible, 0x3164},
		{"halfwidth Hangul filler", "a\uffa0b", ClassInvisible, 0xffa0},
		{"braille blank", "a\u2800b", ClassInvisible, 0x2800},
		{"invalid UTF-8", "a\xffb", ClassInvalidUTF8, 0xfffd},
		{"too long", strings.Repeat("x", MaxDisplayBytes+1), ClassTooLong, 0xfffd},
	} {
		err := CheckDisplayText(c.s)
		var de *DisplayTextError
		if !errors.As(err, &de) || de.Class != c.class || de.Rune != c.r {
			t.Errorf("%s: got %v (%+v), want class %q U+%04X", c.name, err, de, c.class, c.r)
			continue
		}
		if c.class != ClassTooLong && de.Index != 1 && !strings.HasPrefix(c.name, "BOM") && !strings.HasPrefix(c.name, "RLO") &&
			!strings.HasPrefix(c.name, "LF") && !strings.HasPrefix(c.name, "combining") && !strings.Contains(c.name, "space run") {
			t.Errorf("%s: index %d, want 1", c.name, de.Index)
		}
		if !strings.Contains(err.Error(), c.class) && c.class != ClassTooLong && c.class != ClassInvalidUTF8 {
			t.Errorf("%s: message %q does not name the class", c.name, err)
		}
	}
}

func TestCheckDisplayTextAllowsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"Log in to Example?",
		"Betaal € 12,50 aan Café Zoë",
		"Überweisung an Jürgen — 100 € (Ω, ß, ñ)",
		"支付 100 元给 张三",
		"ادفع 100 إلى أحمد", // right-to-left letters are fine; only the controls are refused
		"שלם 100 לדוד",
		"Zahlung\u00a0an\u3000Ü",              // no-break and ideographic space
		"Shop  B.V. \u3000 Tokyo",             // runs of up to MaxSpaceRun spaces
		"Vi\u1ec7t Nam: ti\u1ebfng Vi\u1ec7t", // precomposed Vietnamese
		"a\u0323\u0302",                       // two combining marks are ordinary
		"Pay 🎉 👍🏽 ❤️",                         // emoji, skin tone modifier, VS16
		strings.Repeat("x", MaxDisplayBytes),
	} {
		if err := CheckDisplayText(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
}
