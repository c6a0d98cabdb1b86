package protocol

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Text shown to the user on the phone (the relying party's message with the
// type's template and the request's origin folded in, DESIGN §5) must not be
// able to mislead: a line break could forge a line of its own ("(your usual
// device)"), a bidi control could reverse an amount or a payee, an invisible
// character could make two different texts look the same. The server refuses
// such text when a request is created (RP error 1003 naming the parameter) and
// the SDK core refuses to show it (defence in depth): both call
// CheckDisplayText, so the rule cannot drift between them.

// MaxDisplayBytes bounds the UTF-8 size of the text shown on the phone (the
// whole shown message, template and origin included), whatever the
// character limit configured for the relying party's message.
const MaxDisplayBytes = 2048

// MaxCombiningRun is the longest run of combining marks allowed on one base
// character ("Zalgo" text piles marks over the lines around it). Real
// scripts need a few; Unicode's stream-safe format allows 30.
const MaxCombiningRun = 8

// MaxSpaceRun bounds a run of space characters (ASCII space or any Unicode
// space separator, Zs): a longer run wraps the phone's narrow text view like
// a line break, so a payee name could forge a line of its own.
const MaxSpaceRun = 3

// Classes of characters refused in displayed text (DisplayTextError.Class).
const (
	ClassInvalidUTF8  = "invalid UTF-8"
	ClassLineBreak    = "line break"           // LF, CR, VT, FF, NEL U+0085, U+2028, U+2029
	ClassControl      = "control character"    // other C0, DEL, other C1
	ClassBidi         = "bidi control"         // U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C
	ClassZeroWidth    = "zero-width character" // U+200B–200D, U+2060, U+FEFF
	ClassFormat       = "invisible format character"
	ClassPrivateUse   = "private-use character"
	ClassNonCharacter = "non-character"
	ClassUnassigned   = "unassigned code point"
	ClassCombiningRun = "too many combining marks"
	ClassSpaceRun     = "run of spaces"    // more than MaxSpaceRun in a row
	ClassInvisible    = "invisible filler" // U+115F, U+1160, U+3164, U+FFA0 (Hangul fillers), U+2800 (braille blank)
	ClassTooLong      = "too long"
)

// DisplayTextError says why a text cannot be shown: the class of the first
// offending character, the character and its position (in characters, from
// 0). It holds no part of the text besides that one code point.
type DisplayTextError struct {
	Class string
	Rune  rune // utf8.RuneError for invalid UTF-8 and for ClassTooLong
	Index int
}

func (e *DisplayTextError) Error() string {
	switch e.Class {
	case ClassTooLong:
		return fmt.Sprintf("text is longer than %d bytes", MaxDisplayBytes)
	case ClassInvalidUTF8:
		return fmt.Sprintf("text is not valid UTF-8 (at character %d)", e.Index)
	}
	return fmt.Sprintf("text contains a %s (U+%04X) at character %d", e.Class, e.Rune, e.Index)
}

// CheckDisplayText reports whether s may be shown to the user: valid UTF-8 of
// at most MaxDisplayBytes bytes, without line breaks, C0/C1 controls, bidi
// controls, zero-width or other invisible format characters (Unicode
// category Cf), private-use or unassigned code points, non-characters, or
// runs of more than MaxCombiningRun combining marks. nil when it may; else a
// *DisplayTextError for the first offending character. Normalization is the
// server's job (it stores NFC); this check does not require it.
func CheckDisplayText(s string) error {
	if len(s) > MaxDisplayBytes {
		return &DisplayTextError{Class: ClassTooLong, Rune: utf8.RuneError}
	}
	marks, spaces := 0, 0
	i := 0
	for off := 0; off < len(s); i++ {
		if c := s[off]; c >= 0x20 && c < 0x7f {
			off++ // printable ASCII: the common case, allowed but for runs of spaces
			marks = 0
			if c != ' ' {
				spaces = 0
			} else if spaces++; spaces > MaxSpaceRun {
				return &DisplayTextError{Class: ClassSpaceRun, Rune: ' ', Index: i}
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[off:])
		if r == utf8.RuneError && n <= 1 {
			return &DisplayTextError{Class: ClassInvalidUTF8, Rune: utf8.RuneError, Index: i}
		}
		off += n
		if c := DisplayClass(r); c != "" {
			return &DisplayTextError{Class: c, Rune: r, Index: i}
		}
		if unicode.Is(unicode.Zs, r) {
			if spaces++; spaces > MaxSpaceRun {
				return &DisplayTextError{Class: ClassSpaceRun, Rune: r, Index: i}
			}
		} else {
			spaces = 0
		}
		if unicode.Is(unicode.M, r) {
			if marks++; marks > MaxCombiningRun {
				return &DisplayTextError{Class: ClassCombiningRun, Rune: r, Index: i}
			}
		} else {
			marks = 0
		}
	}
	return nil
}

// DisplayClass returns the class of a character refused in displayed text,
// or "" when r may be shown (alone: CheckDisplayText also bounds runs of
// combining marks and the length).
func DisplayClass(r rune) string {
	if r >= 0x20 && r < 0x7f {
		return "" // printable ASCII, the common case
	}
	switch {
	case r == '\n', r == '\r', r == '\v', r == '\f', r == 0x85, r == 0x2028, r == 0x2029:
		return ClassLineBreak
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return ClassControl
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return ClassBidi
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff:
		return ClassZeroWidth
	case r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r == 0x2800:
		return ClassInvisible
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		return ClassNonCharacter
	case unicode.Is(unicode.Co, r):
		return ClassPrivateUse
	case unicode.Is(unicode.Cf, r):
		// Soft hyphen, invisible operators, interlinear annotation, tags,
		// Mongolian vowel separator, ...: invisible, so refused as a class.
		return ClassFormat
	case unicode.Is(unicode.Cs, r), !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs):
		return ClassUnassigned
	}
	return ""
}
