package egress

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// names is a test resolver: a fixed table, nothing from the system.
type names map[string][]netip.Addr

func (n names) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := n[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, x := range s {
		out = append(out, netip.MustParseAddr(x))
	}
	return out
}

// refusedAddrs is one or more addresses of each refused range.
var refusedAddrs = map[string]string{
	"127.0.0.1":                 ReasonLoopback,
	"127.255.0.9":               ReasonLoopback,
	"::1":                       ReasonLoopback,
	"::ffff:127.0.0.1":          ReasonLoopback,
	"64:ff9b::7f00:1":           ReasonLoopback, // NAT64 of 127.0.0.1
	"10.0.0.5":                  ReasonPrivate,
	"172.16.3.4":                ReasonPrivate,
	"172.31.255.254":            ReasonPrivate,
	"192.168.1.1":               ReasonPrivate,
	"::ffff:10.1.2.3":           ReasonPrivate,
	"::ffff:192.168.0.1":        ReasonPrivate,
	"::10.1.2.3":                ReasonPrivate, // IPv4-compatible
	"fd00::1":                   ReasonPrivate,
	"fc12:3456::9":              ReasonPrivate,
	"169.254.169.254":           ReasonLinkLocal,
	"::ffff:169.254.169.254":    ReasonLinkLocal,
	"64:ff9b::a9fe:a9fe":        ReasonLinkLocal, // NAT64 of 169.254.169.254
	"169.254.0.1":               ReasonLinkLocal,
	"fe80::1":                   ReasonLinkLocal,
	"fe80::1%eth0":              ReasonLinkLocal,
	"0.0.0.0":                   ReasonUnspecified,
	"0.1.2.3":                   ReasonUnspecified,
	"::":                        ReasonUnspecified,
	"::ffff:0.0.0.0":            ReasonUnspecified,
	"224.0.0.1":                 ReasonMulticast,
	"239.255.255.250":           ReasonMulticast,
	"255.255.255.255":           ReasonMulticast,
	"ff02::1":                   ReasonMulticast,
	"ff05::2":                   ReasonMulticast,
	"100.64.0.1":                ReasonCGNAT,
	"100.127.255.254":           ReasonCGNAT,
	"::ffff:100.64.1.1":         ReasonCGNAT,
	"240.0.0.1":                 ReasonReserved,
	"::ffff:172.20.0.1":         ReasonPrivate,
	"fd12:3456:789a:1::dead:be": ReasonPrivate,
}

var publicAddrs = []string{"93.184.215.14", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:93.184.215.14", "64:ff9b::808:808", "203.0.113.7"}

func TestClassify(t *testing.T) {
	for s, want := range refusedAddrs {
		if got := Classify(netip.MustParseAddr(s)); got != want {
			t.Errorf("Classify(%s) = %q, want %q", s, got, want)
		}
	}
	for _, s := range publicAddrs {
		if got := Classify(netip.MustParseAddr(s)); got != "" {
			t.Errorf("Classify(%s) = %q, want public", s, got)
		}
	}
}

// recordingDial stands in for the network after the guard: it counts what
// the guard let through and connects nowhere.
type recordingDial struct{ dialled []string }

func (r *recordingDial) dial(_ context.Context, _, address string) (net.Conn, error) {
	r.dialled = append(r.dialled, address)
	return nil, errors.New("test: not connected")
}

// Each refused range, as a literal and behind a name, never reaches the
// connect; with AllowPrivate it does.
func TestDialRefusesEachRange(t *testing.T) {
	for s, want := range refusedAddrs {
		a := netip.MustParseAddr(s)
		res := names{"internal.example": {a}}
		for _, target := range []string{net.JoinHostPort(a.String(), "443"), "internal.example:443"} {
			rec := &recordingDial{}
			var told []string
			d := &Dialer{Purpose: "callback", Resolver: res, dial: rec.dial,
				OnRefused: func(p string, e *RefusedError) { told = append(told, p+"/"+e.Reason) }}
			_, err := d.DialContext(context.Background(), "tcp", target)
			var re *RefusedError
			if !errors.As(err, &re) || re.Reason != want || !errors.Is(err, ErrRefused) {
				t.Errorf("%s: err = %v, want refused (%s)", target, err, want)
			}
			if len(rec.dialled) != 0 {
				t.Errorf("%s: connected to %v", target, rec.dialled)
			}
			if len(told) != 1 || told[0] != "callback/"+want {
				t.Errorf("%s: OnRefused told %v", target, told)
			}
			rec = &recordingDial{}
			d = &Dialer{AllowPrivate: true, Resolver: res, dial: rec.dial}
			if _, err := d.DialContext(context.Background(), "tcp", target); errors.Is(err, ErrRefused) || len(rec.dialled) != 1 {
				t.Errorf("%s allowed: err = %v, dialled %v", target, err, rec.dialled)
			}
		}
	}
	for _, s := range publicAddrs {
		rec := &recordingDial{}
		d := &Dialer{dial: rec.dial}
		if _, err := d.DialContext(context.Background(), "tcp", net.JoinHostPort(s, "443")); errors.Is(err, ErrRefused) || len(rec.dialled) != 1 {
			t.Errorf("%s: err = %v, dialled %v", s, err, rec.dialled)
		}
	}
}

// A name with one public and one internal address is refused whole: the
// connect could otherwise fall through to the internal one.
func TestDialRefusesMixedName(t *testing.T) {
	rec := &recordingDial{}
	d := &Dialer{Resolver: names{"mixed.example": addrs("93.184.215.14", "10.0.0.1")}, dial: rec.dial}
	if _, err := d.DialContext(context.Background(), "tcp", "mixed.example:443"); !errors.Is(err, ErrRefused) || len(rec.dialled) != 0 {
		t.Fatalf("err = %v, dialled %v", err, rec.dialled)
	}
}

func receiver(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// A public-looking name that resolves to 127.0.0.1 (DNS rebinding) is
// refused by the real dialer, Control included; allowed, the same request
// reaches the loopback receiver, so the refusal is the guard's doing.
func TestClientRefusesNameResolvingToLoopback(t *testing.T) {
	srv, hits := receiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	res := names{"rebind.example": addrs("127.0.0.1")}
	url := "http://rebind.example:" + itoa(port) + "/cb"
	var reasons []string
	c := NewClient(Options{Purpose: "callback", Resolver: res, OnRefused: func(_ string, e *RefusedError) { reasons = append(reasons, e.Reason) }})
	_, err := c.Post(url, "application/json", strings.NewReader("{}"))
	if !errors.Is(err, ErrRefused) || hits.Load() != 0 {
		t.Fatalf("err = %v, receiver hits %d", err, hits.Load())
	}
	if len(reasons) != 1 || reasons[0] != ReasonLoopback {
		t.Fatalf("reasons %v", reasons)
	}
	var re *RefusedError
	if !errors.As(err, &re) || strings.Contains(re.Error(), "/cb") || re.Host != "rebind.example" {
		t.Fatalf("refusal: %v", re)
	}
	c = NewClient(Options{AllowPrivate: true, Resolver: res})
	resp, err := c.Post(url, "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != 204 || hits.Load() != 1 {
		t.Fatalf("allowed: %v %v hits %d", resp, err, hits.Load())
	}
	resp.Body.Close()
}

// A literal loopback address of a live receiver is refused before any
// connection (the receiver sees nothing).
func TestDialRefusesLiveLoopbackLiteral(t *testing.T) {
	srv, hits := receiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	_, err := NewClient(Options{}).Get(srv.URL)
	if !errors.Is(err, ErrRefused) || hits.Load() != 0 {
		t.Fatalf("err = %v, hits %d", err, hits.Load())
	}
}

// A redirect from an allowed receiver to a loopback address is not
// followed: the clients here return the 3xx as it is, and a client that
// does follow redirects through the guarded transport has the hop refused
// at dial time.
func TestRedirectToLoopbackRefused(t *testing.T) {
	inner, innerHits := receiver(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	outer, _ := receiver(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/internal", http.StatusTemporaryRedirect)
	})
	outerAddr := outer.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(outerAddr)
	// rp.example is public (TEST-NET-3); the test network carries its
	// connections to the outer receiver on loopback.
	res := names{"rp.example": addrs("203.0.113.7")}
	toOuter := func(ctx context.Context, network, address string) (net.Conn, error) {
		if address != net.JoinHostPort("203.0.113.7", port) {
			return nil, errors.New("test: unexpected address " + address)
		}
		return (&net.Dialer{}).DialContext(ctx, network, outerAddr)
	}
	c := newClient(Options{Purpose: "callback", Resolver: res}, toOuter)
	resp, err := c.Post("http://rp.example:"+port+"/cb", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("resp %v err %v", resp, err)
	}
	resp.Body.Close()
	// Following redirects, the hop to 127.0.0.1 is refused by the dialer.
	c.CheckRedirect = nil
	c.Transport.(*http.Transport).DialContext = (&Dialer{Resolver: res, dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return toOuter(ctx, network, address)
	}}).DialContext
	_, err = c.Post("http://rp.example:"+port+"/cb", "application/json", strings.NewReader("{}"))
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("redirect followed: err = %v", err)
	}
	if innerHits.Load() != 0 {
		t.Fatalf("the loopback receiver was reached %d times", innerHits.Load())
	}
}

func TestCheckURL(t *testing.T) {
	for u, want := range map[string]string{
		"ftp://rp.example/cb":                  ReasonScheme,
		"javascript:alert(1)":                  ReasonScheme,
		"/relative":                            ReasonScheme,
		"http://127.0.0.1:8080/cb":             ReasonLoopback,
		"https://localhost/cb":                 ReasonLoopback,
		"https://a.localhost./cb":              ReasonLoopback,
		"https://[::1]/cb":                     ReasonLoopback,
		"https://[::ffff:169.254.169.254]/x":   ReasonLinkLocal,
		"https://169.254.169.254/latest/meta":  ReasonLinkLocal,
		"https://10.0.0.1/cb":                  ReasonPrivate,
		"https://[fd00::1]/cb":                 ReasonPrivate,
		"https://100.64.0.1/cb":                ReasonCGNAT,
		"https://0.0.0.0/cb":                   ReasonUnspecified,
		"https://224.0.0.1/cb":                 ReasonMulticast,
		"https://2130706433/cb":                ReasonUnusualHost,
		"https://0x7f.1/cb":                    ReasonUnusualHost,
		"https://rp.example.com/cb":            "",
		"https://93.184.215.14/cb":             "",
		"http://rp.example.com:8080/cb?x=1":    "",
		"https://[2606:4700:4700::1111]:443/x": "",
	} {
		err := CheckURL(u, false)
		var re *RefusedError
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", u, err)
		case want != "" && (!errors.As(err, &re) || re.Reason != want):
			t.Errorf("%s: err = %v, want %s", u, err, want)
		}
		if want != "" && want != ReasonScheme && want != ReasonUnusualHost && CheckURL(u, true) != nil {
			t.Errorf("%s refused with allowPrivate", u)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
