package loadgen

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// rawServer answers every connection's requests with fn, which gets the
// request line and writes raw bytes (and may close the connection).
func rawServer(t *testing.T, fn func(reqLine string, c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					n := 0
					for { // headers
						h, err := br.ReadString('\n')
						if err != nil {
							return
						}
						if h == "\r\n" {
							break
						}
						if v, ok := strings.CutPrefix(strings.ToLower(h), "content-length: "); ok {
							for _, ch := range strings.TrimSpace(v) {
								n = n*10 + int(ch-'0')
							}
						}
					}
					if _, err := io.CopyN(io.Discard, br, int64(n)); err != nil {
						return
					}
					fn(strings.TrimSpace(line), c)
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

func fastFor(t *testing.T, base string, timeout time.Duration) *FastClient {
	t.Helper()
	fc, err := NewFastClient(base, timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fc.Close() })
	return fc
}

func get(fc *FastClient, path string) (status int, body string, err error) {
	b := fc.getBuf()
	b.req = hotRequest{method: "GET", path: []byte(path)}
	err = fc.do(context.Background(), "get", b)
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status, string(b.resp), err
	}
	return 200, string(b.resp), err
}

// Well-formed answers are read exactly: Content-Length, chunked (with an
// extension and a trailer), 204, an interim 100 before the answer, and a body
// delimited by the connection's end; keep-alive connections are reused.
func TestTransportGoodAnswers(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cl":
			_, _ = io.WriteString(w, `{"a":1}`)
		case "/chunked":
			for _, s := range []string{`{"a":`, `"` + strings.Repeat("x", 5000) + `"`, `}`} {
				_, _ = io.WriteString(w, s)
				w.(http.Flusher).Flush()
			}
		case "/204":
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	fc := fastFor(t, srv.URL, 5*time.Second)
	for i := 0; i < 3; i++ {
		if st, body, err := get(fc, "/cl"); err != nil || st != 200 || body != `{"a":1}` {
			t.Fatalf("content-length: %d %q %v", st, body, err)
		}
		if st, body, err := get(fc, "/chunked"); err != nil || st != 200 || body != `{"a":"`+strings.Repeat("x", 5000)+`"}` {
			t.Fatalf("chunked: %d %d bytes %v", st, len(body), err)
		}
		if st, body, err := get(fc, "/204"); err != nil || st != 200 || body != "" {
			t.Fatalf("204: %d %q %v", st, body, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections for 9 sequential requests, want 1 (keep-alive)", n)
	}

	raw := rawServer(t, func(line string, c net.Conn) {
		switch line {
		case "GET /ext HTTP/1.1":
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n")
		case "GET /continue HTTP/1.1":
			_, _ = io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
		case "GET /eof HTTP/1.1":
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n\r\nuntil the end")
			_ = c.Close()
		}
	})
	fr := fastFor(t, raw, 5*time.Second)
	if st, body, err := get(fr, "/ext"); err != nil || st != 200 || body != "abc0123456789" {
		t.Fatalf("chunk extension and trailer: %d %q %v", st, body, err)
	}
	if st, body, err := get(fr, "/continue"); err != nil || st != 200 || body != "{}" {
		t.Fatalf("100 then 200: %d %q %v", st, body, err)
	}
	if st, body, err := get(fr, "/eof"); err != nil || st != 200 || body != "until the end" {
		t.Fatalf("body to EOF: %d %q %v", st, body, err)
	}
}

// Every bad answer is an error, promptly: a 500, a closed connection, a
// truncated body, a malformed status line, header or chunk, a slow answer
// past the timeout, a refused connection. None hangs, none is a success.
func TestTransportBadAnswers(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	raw := rawServer(t, func(line string, c net.Conn) {
		w := func(s string) { _, _ = io.WriteString(c, s) }
		switch strings.Fields(line)[1] {
		case "/500":
			w("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"error\":\"boom\"}\n")
		case "/close":
			_ = c.Close()
		case "/half-header":
			w("HTTP/1.1 200 OK\r\nContent-Le")
			_ = c.Close()
		case "/short-body":
			w("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
			_ = c.Close()
		case "/short-chunk":
			w("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
			_ = c.Close()
		case "/no-last-chunk":
			w("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n")
			_ = c.Close()
		case "/bad-chunk":
			w("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n")
		case "/bad-status":
			w("HTTP/1.1 2x0 OK\r\nContent-Length: 10\r\n\r\nsecret-otp")
		case "/not-http":
			w("secret-otp SSH-2.0\r\n\r\n")
		case "/bare-lf":
			w("HTTP/1.1 200 OK\nContent-Length: 10\n\nsecret-otp")
		case "/gzip-te":
			w("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nsecret-otp")
		case "/two-lengths":
			w("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
		case "/slow":
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
			w("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
		case "/slow-body":
			w("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
		case "/huge":
			w("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n")
		}
	})
	fc := fastFor(t, raw, 300*time.Millisecond)
	for _, path := range []string{"/500", "/close", "/half-header", "/short-body", "/short-chunk", "/no-last-chunk", "/bad-chunk",
		"/bad-status", "/not-http", "/bare-lf", "/gzip-te", "/two-lengths", "/slow", "/slow-body", "/huge"} {
		t0 := time.Now()
		st, body, err := get(fc, path)
		if err == nil {
			t.Errorf("%s: success (%d %q), want an error", path, st, body)
			continue
		}
		if d := time.Since(t0); d > 3*time.Second {
			t.Errorf("%s: error after %s: %v", path, d, err)
		}
		t.Logf("%s: %v", path, err)
		if strings.Contains(err.Error(), "secret-otp") {
			t.Errorf("%s: the answer's bytes in the error: %v", path, err)
		}
		switch path {
		case "/500":
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != 500 || he.ErrorResponse.Error != "boom" {
				t.Errorf("/500: %v", err)
			}
		case "/slow", "/slow-body":
			if errKind(err) != "timeout/cancelled" {
				t.Errorf("%s: error kind %q, want timeout/cancelled", path, errKind(err))
			}
		}
	}

	// a refused connection, and a client closed before the request
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	if _, _, err := get(fastFor(t, "http://"+addr, time.Second), "/"); err == nil {
		t.Error("refused connection: no error")
	}
	closed := fastFor(t, raw, time.Second)
	_ = closed.Close()
	if _, _, err := get(closed, "/500"); !errors.Is(err, errClientClosed) {
		t.Errorf("closed client: %v", err)
	}

	// a context already past its deadline
	b := fc.getBuf()
	b.req = hotRequest{method: "GET", path: []byte("/500")}
	ctx, cancel := context.WithTimeout(context.Background(), -time.Second)
	defer cancel()
	if err := fc.do(ctx, "get", b); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired context: %v", err)
	}
}

func TestNewFastClientURLs(t *testing.T) {
	for _, u := range []string{"https://127.0.0.1:1", "http://", "http://127.0.0.1:1/prefix", "http://127.0.0.1:1?x=1", "::"} {
		if _, err := NewFastClient(u, time.Second); err == nil {
			t.Errorf("NewFastClient(%q): accepted", u)
		}
	}
	fc, err := NewFastClient("http://localhost", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if f := fc.t.(*fastTransport); f.hc.Addr != "localhost:80" || f.host != "localhost" {
		t.Fatalf("addr %q host %q", f.hc.Addr, f.host)
	}
}

func TestEscapes(t *testing.T) {
	if got := string(appendJSONString(nil, "a\"b\\c\n\x01é")); got != `"a\"b\\c\n\u0001é"` && got != `"a\"b\\c\u000a\u0001é"` {
		t.Errorf("appendJSONString: %s", got)
	}
	if got := string(appendJSONString(nil, "\xff")); got != `"\ufffd"` {
		t.Errorf("appendJSONString invalid UTF-8: %s", got)
	}
	if got := string(appendQueryEscape(nil, "Log in to Ex&ample=é ~")); got != "Log+in+to+Ex%26ample%3D%C3%A9+~" {
		t.Errorf("appendQueryEscape: %s", got)
	}
	if got := string(appendPathEscape(nil, "a/b c")); got != "a%2Fb%20c" {
		t.Errorf("appendPathEscape: %s", got)
	}
}

// decodeObject accepts exactly one JSON object with members of the expected
// types and unescapes strings as encoding/json does.
func TestDecodeObject(t *testing.T) {
	read := func(body string) (string, error) {
		var s string
		err := decodeObject([]byte(body), func(k string, v gjson.Result) bool {
			if k == "s" {
				return jsonString(v, &s)
			}
			return true
		})
		return s, err
	}
	for body, want := range map[string]string{
		`{"s":"a\u0026b\ud83d\ude00\n","x":[1,{"s":2}]}` + "\n": "a&b\U0001F600\n",
		`{"s":"first","s":"last"}`:                              "last",
		` {"x":1} `:                                             "",
		`{"s":null}`:                                            "",
	} {
		if got, err := read(body); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", body, got, err, want)
		}
	}
	for _, body := range []string{``, `[]`, `"s"`, `{"s":1}`, `{"s":true}`, `{"s":"a"} x`, `{"s":"a"}{}`, `{"s":"a\x01"}`, `{"s":"\q"}`, `{"s":"a",}`, `{s:"a"}`, `{"s":"a"`} {
		if got, err := read(body); err == nil {
			t.Errorf("%q: accepted (%q)", body, got)
		}
	}
}
