package clientip

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

type clientIPKey struct{}

// From is the address of the client that sent r: the one With
// stored (the server's middleware does, honouring trusted proxies), else the
// TCP peer. Per-IP rate limits key on it.
func From(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok {
		return ip
	}
	return Peer(r)
}

// Peer is the TCP peer address of r (no forwarding header is looked at).
func Peer(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// With returns r with ip as its client address (what From returns).
func With(r *http.Request, ip string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), clientIPKey{}, ip))
}

// Forwarded finds the client address of r behind reverse proxies:
// when the TCP peer is one of trusted, X-Forwarded-For is read from the
// right (each proxy appends the address it received the request from) and
// the first address that is not a trusted proxy is the client. Left of that
// the header is written by the client and proves nothing. With no trusted
// proxies, or a peer that is not one, the header is ignored. A malformed hop
// ends the walk at the last trusted address seen.
func Forwarded(r *http.Request, trusted []netip.Prefix) string {
	peer := Peer(r)
	if len(trusted) == 0 {
		return peer
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !isTrusted(addr.Unmap(), trusted) {
		return peer
	}
	client := addr.Unmap()
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return client.String()
			}
			client = a.Unmap()
			if !isTrusted(client, trusted) {
				return client.String()
			}
		}
	}
	return client.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// LimitKey is the key per-IP rate limits count ip under: an IPv4 address as
// it is, an IPv6 address as its /64 prefix. One IPv6 host is routinely given
// a whole /64 (2^64 addresses), so counting single IPv6 addresses let one
// client rotate through fresh budgets (session 4 red team).
func LimitKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if a = a.Unmap(); a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}
