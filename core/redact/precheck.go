package redact

// mayHoldCredential reports whether credentialPattern can match s; RedactText
// skips the regular expression when it cannot (most log values: ids, status
// words, short messages). Every alternative of the pattern needs '=' or ':',
// or "eyJ" (any case), or whitespace after one of bearer/dpop/basic/pass… (ASCII case
// folding). Non-ASCII text always goes to the expression, whose case folding
// also matches a few non-ASCII letters (ſ, K).
func mayHoldCredential(s string) bool {
	space := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c == '=', c == ':':
			return true
		case c == ' ', c == '\t', c == '\n', c == '\f', c == '\r':
			space = true
		}
	}
	if containsFoldASCII(s, "eyj") {
		return true
	}
	return space && (containsFoldASCII(s, "bearer") || containsFoldASCII(s, "dpop") ||
		containsFoldASCII(s, "basic") || containsFoldASCII(s, "pass"))
}

// containsFoldASCII is strings.Contains with ASCII case folding; word is lower case.
func containsFoldASCII(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for ; j < len(word); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != word[j] {
				break
			}
		}
		if j == len(word) {
			return true
		}
	}
	return false
}
