package main

import (
	"bufio"
	"bytes"
	"io"
)

// lineReader splits input into lines of at most max bytes without ever holding
// more than max bytes of one line in memory.
type lineReader struct {
	r   *bufio.Reader
	max int
	buf []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its line ending. When the line is longer
// than max, tooLong is set and line holds only its first bytes (up to 4 KiB, for
// recovering the id); the rest of the line has been skipped. err is io.EOF after
// the last line (which is returned together with it when it has no newline).
func (l *lineReader) next() (line []byte, tooLong bool, err error) {
	l.buf = l.buf[:0]
	for {
		chunk, e := l.r.ReadSlice('\n')
		if !tooLong {
			if len(l.buf)+len(chunk) > l.max+2 { // +2: room for "\r\n"
				tooLong = true
				keep := min(4<<10, len(l.buf)+len(chunk))
				if len(l.buf) < keep {
					l.buf = append(l.buf, chunk[:keep-len(l.buf)]...)
				}
				l.buf = l.buf[:keep]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		switch e {
		case bufio.ErrBufferFull:
			continue
		case nil:
			if tooLong {
				return l.buf, true, nil
			}
			out := trimEOL(l.buf)
			if len(out) > l.max {
				return out[:min(4<<10, len(out))], true, nil
			}
			return out, false, nil
		default:
			if tooLong {
				return l.buf, true, e
			}
			out := trimEOL(l.buf)
			if len(out) > l.max {
				return out[:min(4<<10, len(out))], true, e
			}
			return out, false, e
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}
