package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/openmobileauth/oma/core/protocol"
)

// terminalText returns s with every character that could mislead on a
// terminal escaped: line breaks, C0/C1 controls (ANSI escape sequences start
// with one), bidi controls, zero-width and other invisible characters,
// private-use and unassigned code points (protocol.DisplayClass), and
// invalid UTF-8 bytes. They are printed as \n, \r, \t, \xNN or \u{XXXX}, so
// the user sees that they are there. The core already refuses such a message;
// this is the terminal's own guard for any text from the server.
func terminalText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02X`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\\':
			b.WriteString(`\\`)
		case protocol.DisplayClass(r) != "":
			fmt.Fprintf(&b, `\u{%04X}`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
