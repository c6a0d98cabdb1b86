package clientip

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// Forwarded: X-Forwarded-For counts only when the peer is a trusted
// proxy, and then only up to the right-most hop that is not one.
func TestForwardedClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	for name, c := range map[string]struct {
		peer    string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		"no trusted proxies: header ignored":  {"10.1.1.1:5000", []string{"192.0.2.1"}, nil, "10.1.1.1"},
		"untrusted peer: header ignored":      {"198.51.100.1:5000", []string{"192.0.2.1"}, trusted, "198.51.100.1"},
		"one proxy":                           {"10.1.1.1:5000", []string{"192.0.2.1"}, trusted, "192.0.2.1"},
		"client-written left part ignored":    {"10.1.1.1:5000", []string{"6.6.6.6, 192.0.2.1"}, trusted, "192.0.2.1"},
		"two proxies":                         {"10.1.1.1:5000", []string{"192.0.2.1, 10.2.2.2"}, trusted, "192.0.2.1"},
		"several header lines":                {"10.1.1.1:5000", []string{"6.6.6.6", "192.0.2.1, 10.2.2.2"}, trusted, "192.0.2.1"},
		"only proxies: the left-most of them": {"10.1.1.1:5000", []string{"10.3.3.3, 10.2.2.2"}, trusted, "10.3.3.3"},
		"no header: the proxy":                {"10.1.1.1:5000", nil, trusted, "10.1.1.1"},
		"malformed hop stops the walk":        {"10.1.1.1:5000", []string{"192.0.2.1, junk"}, trusted, "10.1.1.1"},
		"IPv6 proxy and client":               {"[2001:db8::1]:443", []string{"2001:db9::7"}, trusted, "2001:db9::7"},
		"IPv4-mapped peer":                    {"[::ffff:10.1.1.1]:80", []string{"192.0.2.9"}, trusted, "192.0.2.9"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := Forwarded(r, c.trusted); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
		if got := From(With(r, "192.0.2.77")); got != "192.0.2.77" {
			t.Errorf("%s: From ignores the stored address: %q", name, got)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.1.1:5000"
	r.Header.Set("X-Forwarded-For", "192.0.2.1")
	if got := From(r); got != "10.1.1.1" {
		t.Errorf("From without the middleware believes the header: %q", got)
	}
}

// BenchmarkForwardedClientIP: the middleware's cost per request behind two
// trusted proxies.
func BenchmarkForwardedClientIP(b *testing.B) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.1.1:5000"
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 192.0.2.1, 10.2.2.2")
	b.ReportAllocs()
	for b.Loop() {
		if Forwarded(r, trusted) != "192.0.2.1" {
			b.Fatal("wrong client")
		}
	}
}
