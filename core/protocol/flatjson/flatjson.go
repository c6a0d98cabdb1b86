// Package flatjson reads flat JSON objects (string and integer members,
// printable ASCII, no escapes) without reflection or allocation. It is a
// fast path only: whatever it refuses, its callers decode with encoding/json,
// and whatever it accepts decodes as encoding/json would decode it.
package flatjson

// Member is one member of a flat JSON object read by Scan: the offsets of
// its key and of its value (a string without its quotes, or an integer
// literal when Num) in the scanned bytes. Offsets rather than slices keep
// the scanned buffer from escaping to the heap.
type Member struct {
	k0, k1, v0, v1 int
	Num            bool
}

// Key returns the member's key in b, the bytes given to Scan.
func (m *Member) Key(b []byte) []byte { return b[m.k0:m.k1] }

// Val returns the member's value in b, the bytes given to Scan.
func (m *Member) Val(b []byte) []byte { return b[m.v0:m.v1] }

// ValString returns the member's value in s, a string copy of the bytes
// given to Scan (one copy for every value).
func (m *Member) ValString(s string) string { return s[m.v0:m.v1] }

// MaxMembers bounds the members Scan reads (more: not flat).
const MaxMembers = 16

// Scan reads b as one JSON object whose members all have a key and a
// string value made only of printable ASCII without escapes, or an integer
// value (-?(0|[1-9][0-9]*)), surrounded by optional JSON whitespace. It
// returns the members in order and true; false when b is anything else
// (other value types, escapes, non-ASCII, more than MaxMembers members,
// invalid JSON). It is a fast path: callers hand every input it refuses to
// encoding/json, so what it accepts must decode exactly as encoding/json
// would decode it.
func Scan(b []byte, out *[MaxMembers]Member) (int, bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	i = skipWS(b, i+1)
	n := 0
	if i < len(b) && b[i] == '}' {
		return 0, skipWS(b, i+1) == len(b)
	}
	for {
		if n == MaxMembers {
			return 0, false
		}
		m := &out[n]
		var ok bool
		m.k0, m.k1, i, ok = scanString(b, i)
		if !ok {
			return 0, false
		}
		i = skipWS(b, i)
		if i >= len(b) || b[i] != ':' {
			return 0, false
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return 0, false
		}
		m.Num = b[i] != '"'
		if m.Num {
			m.v0, m.v1, i, ok = scanInt(b, i)
		} else {
			m.v0, m.v1, i, ok = scanString(b, i)
		}
		if !ok {
			return 0, false
		}
		n++
		i = skipWS(b, i)
		if i >= len(b) {
			return 0, false
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return n, skipWS(b, i+1) == len(b)
		default:
			return 0, false
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads a string at b[i] (which must be '"') made of printable
// ASCII other than '"' and '\\'; it returns the bounds of its content and
// the index after the closing quote.
func scanString(b []byte, i int) (int, int, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return i + 1, j, j + 1, true
		case c < 0x20 || c > 0x7e || c == '\\':
			return 0, 0, 0, false
		}
	}
	return 0, 0, 0, false
}

// flatInt reads an integer literal -?(0|[1-9][0-9]*) at b[i], which must be
// followed by a delimiter (not by '.', 'e' or another digit).
func scanInt(b []byte, i int) (int, int, int, bool) {
	j := i
	if j < len(b) && b[j] == '-' {
		j++
	}
	start := j
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == start || (b[start] == '0' && j-start > 1) {
		return 0, 0, 0, false
	}
	if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		return 0, 0, 0, false
	}
	return i, j, j, true
}

// Int64 converts an integer literal read by Scan; false on overflow.
func Int64(v []byte) (int64, bool) {
	neg := false
	if len(v) > 0 && v[0] == '-' {
		neg, v = true, v[1:]
	}
	if len(v) == 0 || len(v) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range v {
		u = u*10 + uint64(c-'0')
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u-1) - 1, true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}
