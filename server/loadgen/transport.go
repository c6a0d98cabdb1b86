package loadgen

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// maxIdleAge drops idle connections well before the server's idle timeout
// (120 s by default) could close one under a request.
const maxIdleAge = 30 * time.Second

// maxBody bounds an answer body.
const maxBody = 1 << 20

// fastTransport is the hot path's HTTP/1.1 client: fasthttp's HostClient,
// which runs each request on the caller's goroutine over a pooled keep-alive
// connection (no reader/writer goroutines, no header maps, reused request and
// response objects). Requests are never retried: a connection the server
// closed is an error of that request. Timeouts are connection deadlines.
type fastTransport struct {
	hc   *fasthttp.HostClient
	host string // Host header
}

func newFastTransport(addr, host string, timeout time.Duration) *fastTransport {
	d := &net.Dialer{Timeout: timeout}
	return &fastTransport{host: host, hc: &fasthttp.HostClient{
		Addr:                      addr,
		Name:                      "oma-loadgen",
		Dial:                      func(a string) (net.Conn, error) { return d.Dial("tcp", a) },
		MaxConns:                  1 << 20, // as many as transactions in flight
		MaxIdleConnDuration:       maxIdleAge,
		ReadTimeout:               timeout,
		WriteTimeout:              timeout,
		MaxResponseBodySize:       maxBody,
		MaxIdemponentCallAttempts: 1,
		RetryIf:                   func(*fasthttp.Request) bool { return false },
		DisablePathNormalizing:    true,
	}}
}

// roundTrip sends r and appends the answer's body to dst.
func (f *fastTransport) roundTrip(deadline time.Time, r *hotRequest, dst []byte) (int, []byte, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(r.method)
	req.SetRequestURIBytes(r.path)
	req.Header.SetHost(f.host)
	if len(r.authorization) > 0 {
		req.Header.SetBytesV("Authorization", r.authorization)
	}
	if len(r.dpop) > 0 {
		req.Header.SetBytesV("DPoP", r.dpop)
	}
	if r.method != fasthttp.MethodGet {
		req.Header.SetContentType(r.contentType)
		req.SetBodyRaw(r.body)
	}
	if err := f.hc.DoDeadline(req, resp, deadline); err != nil {
		msg := withoutContents(err.Error())
		if errors.Is(err, fasthttp.ErrTimeout) || errors.Is(err, fasthttp.ErrDialTimeout) || errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, dst, fmt.Errorf("%w: %s", os.ErrDeadlineExceeded, msg)
		}
		return 0, dst, errors.New(msg)
	}
	return resp.StatusCode(), append(dst, resp.Body()...), nil
}

func (f *fastTransport) close() { f.hc.CloseIdleConnections() }

// withoutContents cuts the bytes of the answer that fasthttp quotes in some
// parse errors: they may hold an OTP or a token.
func withoutContents(msg string) string {
	for _, marker := range []string{": response \"", ": buffer size=", " contents: "} {
		if i := strings.Index(msg, marker); i >= 0 {
			msg = msg[:i]
		}
	}
	return msg
}
