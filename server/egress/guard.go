package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Reasons a destination is refused (the reason label of
// oma_egress_refused_total and of the log line; a small fixed set).
const (
	ReasonLoopback    = "loopback"
	ReasonPrivate     = "private"      // RFC 1918, RFC 4193
	ReasonLinkLocal   = "link_local"   // 169.254.0.0/16 (metadata services), fe80::/10
	ReasonUnspecified = "unspecified"  // 0.0.0.0/8, ::
	ReasonMulticast   = "multicast"    // and 255.255.255.255
	ReasonCGNAT       = "cgnat"        // 100.64.0.0/10
	ReasonReserved    = "reserved"     // 240.0.0.0/4
	ReasonBadAddress  = "bad_address"  // not an IP address after resolution
	ReasonScheme      = "scheme"       // not http(s) (CheckURL)
	ReasonUnusualHost = "unusual_host" // 0x7f.1, 2130706433 and other odd IPv4 spellings (CheckURL)
)

// ErrRefused is wrapped by every refusal of this package.
var ErrRefused = errors.New("egress: destination refused")

// RefusedError says which address was refused and why. It names no URL
// path or query (they may carry a receiver's secret).
type RefusedError struct {
	Host   string     // the host asked for (a name or a literal)
	Addr   netip.Addr // the refused address (invalid for scheme refusals)
	Reason string     // one of the Reason* constants
}

func (e *RefusedError) Error() string {
	if e.Addr.IsValid() && e.Host != e.Addr.String() {
		return fmt.Sprintf("egress: %s (%s) refused: %s address", e.Host, e.Addr, e.Reason)
	}
	return fmt.Sprintf("egress: %s refused: %s", e.Host, e.Reason)
}

func (e *RefusedError) Unwrap() error { return ErrRefused }

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	reserved4 = netip.MustParsePrefix("240.0.0.0/4")
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	compat4   = netip.MustParsePrefix("::/96") // deprecated IPv4-compatible (::a.b.c.d)
	broadcast = netip.MustParseAddr("255.255.255.255")
)

// Classify returns why a is not a public destination ("" when it is).
// IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64
// (64:ff9b::a.b.c.d) addresses are judged by the IPv4 address they carry.
func Classify(a netip.Addr) string {
	if !a.IsValid() {
		return ReasonBadAddress
	}
	a = a.WithZone("")
	if a.Is6() && !a.Is4In6() && (nat64.Contains(a) || (compat4.Contains(a) && !a.IsUnspecified() && !a.IsLoopback())) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return ReasonLoopback
	case a.IsUnspecified() || thisNet.Contains(a):
		return ReasonUnspecified
	case a.IsPrivate():
		return ReasonPrivate
	case a.IsLinkLocalUnicast():
		return ReasonLinkLocal
	case a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a == broadcast:
		return ReasonMulticast
	case cgnat.Contains(a):
		return ReasonCGNAT
	case reserved4.Contains(a):
		return ReasonReserved
	}
	return ""
}

// Resolver looks host names up (*net.Resolver implements it; tests give
// their own).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Dialer dials only public addresses unless AllowPrivate.
type Dialer struct {
	// AllowPrivate turns the guard off (development, tests with loopback
	// receivers, deployments whose receivers are internal on purpose).
	AllowPrivate bool
	// Purpose names the outbound kind in refusals ("callback", "idp",
	// "audit", "webpush").
	Purpose string
	// OnRefused is told each refusal (metrics and a log line); may be nil.
	OnRefused func(purpose string, err *RefusedError)
	Resolver  Resolver      // default net.DefaultResolver
	Timeout   time.Duration // connect timeout (default 10 s)

	// dial connects to an address this guard has allowed (a test seam: the
	// package's tests map public test addresses to loopback listeners).
	dial func(ctx context.Context, network, address string) (net.Conn, error)
}

func (d *Dialer) refused(host string, a netip.Addr, reason string) *RefusedError {
	e := &RefusedError{Host: host, Addr: a, Reason: reason}
	if d.OnRefused != nil {
		d.OnRefused(d.Purpose, e)
	}
	return e
}

// DialContext resolves address's host, refuses it when any of its
// addresses is not public (a name with one internal address is not
// trusted with the others either), and connects to the addresses in turn.
// The connection's Control checks the address once more, just before the
// connect system call.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		r := d.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		ipNet := "ip"
		switch network {
		case "tcp4":
			ipNet = "ip4"
		case "tcp6":
			ipNet = "ip6"
		}
		addrs, err = r.LookupNetIP(ctx, ipNet, host)
		if err != nil {
			return nil, err
		}
		if len(addrs) == 0 {
			return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
	}
	if !d.AllowPrivate {
		for _, a := range addrs {
			if reason := Classify(a); reason != "" {
				return nil, d.refused(host, a, reason)
			}
		}
	}
	dial := d.dial
	if dial == nil {
		timeout := d.Timeout
		if timeout <= 0 {
			timeout = 10 * time.Second
		}
		nd := &net.Dialer{Timeout: timeout}
		if !d.AllowPrivate {
			nd.Control = func(_, address string, _ syscall.RawConn) error {
				ap, err := netip.ParseAddrPort(address)
				if err != nil {
					return d.refused(host, netip.Addr{}, ReasonBadAddress)
				}
				if reason := Classify(ap.Addr()); reason != "" {
					return d.refused(host, ap.Addr(), reason)
				}
				return nil
			}
		}
		dial = nd.DialContext
	}
	var first error
	for _, a := range addrs {
		c, err := dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// Options configure NewClient.
type Options struct {
	AllowPrivate bool
	Purpose      string
	OnRefused    func(purpose string, err *RefusedError)
	Timeout      time.Duration // whole request (default 10 s)
	Resolver     Resolver
	// MaxIdleConnsPerHost: default 4.
	MaxIdleConnsPerHost int
}

// NewClient returns an HTTP client whose every connection goes through a
// Dialer, with no proxy (a URL's own host is the only destination), HTTP/2
// when offered, a bounded time, and no redirects followed: a 3xx answer is
// returned as it is.
func NewClient(o Options) *http.Client {
	return newClient(o, nil)
}

func newClient(o Options, dial func(ctx context.Context, network, address string) (net.Conn, error)) *http.Client {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	idle := o.MaxIdleConnsPerHost
	if idle <= 0 {
		idle = 4
	}
	d := &Dialer{AllowPrivate: o.AllowPrivate, Purpose: o.Purpose, OnRefused: o.OnRefused, Resolver: o.Resolver, Timeout: timeout, dial: dial}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		TLSHandshakeTimeout: timeout,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: idle,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Timeout: timeout, Transport: tr, CheckRedirect: noRedirects}
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// CheckURL is the check at the time a URL is accepted (a relying party's
// callback_uri, a webhook URL): an absolute http or https URL whose host,
// when it is a literal address (or "localhost"), is public unless
// allowPrivate. Names are judged when they are dialled. It returns a
// *RefusedError.
func CheckURL(raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return &RefusedError{Host: "", Reason: ReasonScheme}
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if allowPrivate {
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return &RefusedError{Host: host, Reason: ReasonLoopback}
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		if net.ParseIP(host) != nil || strings.Trim(host, "0123456789.") == "" || strings.HasPrefix(host, "0x") {
			return &RefusedError{Host: host, Reason: ReasonUnusualHost}
		}
		return nil
	}
	if reason := Classify(a); reason != "" {
		return &RefusedError{Host: host, Addr: a, Reason: reason}
	}
	return nil
}
