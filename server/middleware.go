package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/httpio"
)

// hstsValue is the Strict-Transport-Security header sent when serving TLS.
const hstsValue = "max-age=31536000; includeSubDomains"

type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware adds panic recovery and an access log (method, path without the
// query, status, duration — never headers or bodies), and finds the client
// IP behind trusted reverse proxies (Config.TrustedProxies).
func (s *Server) middleware(next http.Handler) http.Handler {
	hsts := s.cfg.TLSCertFile != "" || strings.HasPrefix(s.cfg.PublicBaseURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if hsts || r.TLS != nil {
			// Served over TLS (here or at a proxy in front): browsers and
			// clients keep to HTTPS for a year (issue 11, item 10).
			w.Header().Set("Strict-Transport-Security", hstsValue)
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error().Str("path", r.URL.Path).Msg("handler panic")
				if sw.status == 0 {
					httpio.WriteJSON(sw, http.StatusInternalServerError, protocol.ErrorResponse{Error: protocol.ErrServerError, ErrorDescription: "internal error"})
				}
			}
			s.metrics.HTTP(r.Pattern, sw.status, time.Since(start))
			ev := s.log.Debug()
			if sw.status >= 500 {
				ev = s.log.Error()
			}
			ev.Str("method", r.Method).Str("path", r.URL.Path).Int("status", sw.status).
				Float64("ms", float64(time.Since(start).Microseconds())/1000).Msg("request")
		}()
		if len(s.cfg.TrustedProxies) > 0 {
			r = clientip.With(r, clientip.Forwarded(r, s.cfg.TrustedProxies))
		}
		next.ServeHTTP(sw, r)
	})
}
