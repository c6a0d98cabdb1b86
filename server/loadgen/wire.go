package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// wire is the purpose-built HTTP/1.1 client of the measured transactions:
// keep-alive connections to one loopback address, each used by one request at
// a time on the caller's goroutine (no reader/writer goroutines, no header
// maps), the request written with one write call from a reused buffer, the
// answer parsed strictly (status line, Content-Length or chunked body,
// Connection: close) and every deviation an error. Timeouts are connection
// deadlines. Requests are never retried: a connection the server closed is an
// error of that request.
type wire struct {
	addr    string // host:port to dial
	host    string // Host header
	timeout time.Duration
	dialer  net.Dialer

	mu     sync.Mutex
	idle   []*wireConn // LIFO
	closed bool
}

// wireMaxIdleAge drops idle connections well before the server's idle
// timeout (120 s by default) could close them under a request.
const wireMaxIdleAge = 30 * time.Second

// wireMaxBody bounds an answer body.
const wireMaxBody = 1 << 20

type wireConn struct {
	c        net.Conn
	br       *bufio.Reader
	wbuf     []byte
	lastUsed time.Time
}

func newWire(addr, host string, timeout time.Duration) *wire {
	return &wire{addr: addr, host: host, timeout: timeout, dialer: net.Dialer{Timeout: timeout, KeepAlive: -1}}
}

// errWireClosed is returned for requests after close.
var errWireClosed = errors.New("client closed")

func (w *wire) get(deadline time.Time) (*wireConn, error) {
	now := time.Now()
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil, errWireClosed
	}
	for n := len(w.idle); n > 0; n = len(w.idle) {
		c := w.idle[n-1]
		w.idle[n-1] = nil
		w.idle = w.idle[:n-1]
		if now.Sub(c.lastUsed) < wireMaxIdleAge {
			w.mu.Unlock()
			return c, nil
		}
		_ = c.c.Close()
	}
	w.mu.Unlock()
	d := w.dialer
	d.Deadline = deadline
	c, err := d.Dial("tcp", w.addr)
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	return &wireConn{c: c, br: bufio.NewReaderSize(c, 4096), wbuf: make([]byte, 0, 2048)}, nil
}

func (w *wire) put(c *wireConn) {
	c.lastUsed = time.Now()
	w.mu.Lock()
	if !w.closed {
		w.idle = append(w.idle, c)
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	_ = c.c.Close()
}

func (w *wire) close() {
	w.mu.Lock()
	idle := w.idle
	w.idle, w.closed = nil, true
	w.mu.Unlock()
	for _, c := range idle {
		_ = c.c.Close()
	}
}

// roundTrip sends r and appends the answer's body to dst.
func (w *wire) roundTrip(deadline time.Time, r *hotRequest, dst []byte) (int, []byte, error) {
	c, err := w.get(deadline)
	if err != nil {
		return 0, dst, err
	}
	if err := c.c.SetDeadline(deadline); err != nil {
		_ = c.c.Close()
		return 0, dst, err
	}
	b := c.wbuf[:0]
	b = append(b, r.method...)
	b = append(b, ' ')
	b = append(b, r.path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, w.host...)
	b = append(b, "\r\nUser-Agent: oma-loadgen\r\n"...)
	if len(r.authorization) > 0 {
		b = append(b, "Authorization: "...)
		b = append(b, r.authorization...)
		b = append(b, "\r\n"...)
	}
	if len(r.dpop) > 0 {
		b = append(b, "DPoP: "...)
		b = append(b, r.dpop...)
		b = append(b, "\r\n"...)
	}
	if r.method != "GET" {
		b = append(b, "Content-Type: "...)
		b = append(b, r.contentType...)
		b = append(b, "\r\nContent-Length: "...)
		b = strconv.AppendInt(b, int64(len(r.body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	b = append(b, r.body...)
	c.wbuf = b
	if _, err := c.c.Write(b); err != nil {
		_ = c.c.Close()
		return 0, dst, fmt.Errorf("writing request: %w", err)
	}
	status, body, keep, err := c.readResponse(dst)
	if err != nil {
		_ = c.c.Close()
		return 0, dst, err
	}
	if keep && c.br.Buffered() == 0 {
		w.put(c)
	} else {
		_ = c.c.Close()
	}
	return status, body, nil
}

// errBadResponse is wrapped by every malformed answer.
var errBadResponse = errors.New("malformed HTTP response")

func badResponse(what string) error { return fmt.Errorf("%w: %s", errBadResponse, what) }

// line reads one header line without its CRLF (bare LF is refused).
func (c *wireConn) line() ([]byte, error) {
	l, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, badResponse("header line too long")
		}
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if len(l) < 2 || l[len(l)-2] != '\r' {
		return nil, badResponse("line not ended by CRLF")
	}
	return l[:len(l)-2], nil
}

// readResponse reads one answer; keep reports whether the connection may be
// reused.
func (c *wireConn) readResponse(dst []byte) (status int, body []byte, keep bool, err error) {
	if _, err := c.br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, dst, false, errors.New("connection closed by the server before an answer")
		}
		return 0, dst, false, err
	}
	l, err := c.line()
	if err != nil {
		return 0, dst, false, err
	}
	var http10 bool
	switch {
	case bytes.HasPrefix(l, []byte("HTTP/1.1 ")):
	case bytes.HasPrefix(l, []byte("HTTP/1.0 ")):
		http10 = true
	default:
		return 0, dst, false, badResponse("bad status line")
	}
	if len(l) < 12 || (len(l) > 12 && l[12] != ' ') {
		return 0, dst, false, badResponse("bad status line")
	}
	for _, ch := range l[9:12] {
		if ch < '0' || ch > '9' {
			return 0, dst, false, badResponse("bad status code")
		}
		status = status*10 + int(ch-'0')
	}
	if status < 200 {
		return 0, dst, false, badResponse("informational status " + strconv.Itoa(status))
	}
	keep = !http10
	contentLength, chunked := int64(-1), false
	for {
		l, err := c.line()
		if err != nil {
			return 0, dst, false, err
		}
		if len(l) == 0 {
			break
		}
		if l[0] == ' ' || l[0] == '\t' {
			return 0, dst, false, badResponse("folded header line")
		}
		i := bytes.IndexByte(l, ':')
		if i <= 0 {
			return 0, dst, false, badResponse("header line without a name")
		}
		name, v := l[:i], bytes.TrimSpace(l[i+1:])
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, ok := parseUint(v, 10)
			if !ok || (contentLength >= 0 && n != contentLength) {
				return 0, dst, false, badResponse("bad Content-Length")
			}
			contentLength = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(v, []byte("chunked")) || chunked {
				return 0, dst, false, badResponse("unsupported Transfer-Encoding")
			}
			chunked = true
		case bytes.EqualFold(name, []byte("Connection")):
			for _, tok := range bytes.Split(v, []byte(",")) {
				tok = bytes.TrimSpace(tok)
				if bytes.EqualFold(tok, []byte("close")) {
					keep = false
				} else if http10 && bytes.EqualFold(tok, []byte("keep-alive")) {
					keep = true
				}
			}
		}
	}
	if chunked && contentLength >= 0 {
		return 0, dst, false, badResponse("both Content-Length and chunked")
	}
	switch {
	case status == 204 || status == 304:
		if chunked || contentLength > 0 {
			return 0, dst, false, badResponse("body on a bodiless status")
		}
		return status, dst, keep, nil
	case chunked:
		dst, err = c.readChunked(dst)
	case contentLength >= 0:
		if contentLength > wireMaxBody {
			return 0, dst, false, badResponse("body too large")
		}
		n := len(dst)
		dst = append(dst, make([]byte, contentLength)...)
		_, err = io.ReadFull(c.br, dst[n:])
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
	default: // the body runs until the server closes the connection
		keep = false
		var all []byte
		all, err = io.ReadAll(io.LimitReader(c.br, wireMaxBody+1))
		if err == nil && len(all) > wireMaxBody {
			err = badResponse("body too large")
		}
		dst = append(dst, all...)
	}
	if err != nil {
		return 0, dst, false, fmt.Errorf("reading body: %w", err)
	}
	return status, dst, keep, nil
}

// readChunked appends a chunked body (RFC 9112 §7.1) to dst; trailers are
// read and ignored.
func (c *wireConn) readChunked(dst []byte) ([]byte, error) {
	start := len(dst)
	for {
		l, err := c.line()
		if err != nil {
			return dst, err
		}
		if i := bytes.IndexByte(l, ';'); i >= 0 {
			l = l[:i]
		}
		l = bytes.TrimRight(l, " \t")
		n, ok := parseUint(l, 16)
		if !ok {
			return dst, badResponse("bad chunk size")
		}
		if n == 0 {
			break
		}
		if len(dst)-start+int(n) > wireMaxBody {
			return dst, badResponse("body too large")
		}
		m := len(dst)
		dst = append(dst, make([]byte, n)...)
		if _, err := io.ReadFull(c.br, dst[m:]); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return dst, err
		}
		if l, err := c.line(); err != nil || len(l) != 0 {
			if err == nil {
				err = badResponse("chunk not followed by CRLF")
			}
			return dst, err
		}
	}
	for { // trailers
		l, err := c.line()
		if err != nil {
			return dst, err
		}
		if len(l) == 0 {
			return dst, nil
		}
	}
}

// parseUint parses 1 to 8 digits in base 10 or 16.
func parseUint(b []byte, base int64) (int64, bool) {
	if len(b) == 0 || len(b) > 8 {
		return 0, false
	}
	var n int64
	for _, ch := range b {
		var d int64
		switch {
		case ch >= '0' && ch <= '9':
			d = int64(ch - '0')
		case base == 16 && ch >= 'a' && ch <= 'f':
			d = int64(ch-'a') + 10
		case base == 16 && ch >= 'A' && ch <= 'F':
			d = int64(ch-'A') + 10
		default:
			return 0, false
		}
		n = n*base + d
	}
	return n, true
}
