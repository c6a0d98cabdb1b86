package svc

import (
	"net"
	"net/http"
)

// ClientIP is the peer address of r (forwarding headers are not trusted).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
