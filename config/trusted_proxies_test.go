package config

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestTrustedProxies: web.trusted_proxies lists CIDRs (a bare address is
// one host); a bad entry is a located problem, and a prefix that would
// trust every peer is refused.
func TestTrustedProxies(t *testing.T) {
	c, err := Parse([]byte("domains: [{domain: a.com, host: m.a.com}]\nweb:\n  trusted_proxies: [10.0.0.0/8, \"2001:db8::/32\", 192.0.2.7, 172.16.5.4/12]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("172.16.0.0/12")}
	if !slices.Equal(c.Web.TrustedProxies, want) {
		t.Errorf("trusted proxies = %v, want %v", c.Web.TrustedProxies, want)
	}
	if d, err := Default(); err != nil || len(d.Web.TrustedProxies) != 0 {
		t.Errorf("the default trusts %v (%v)", d.Web.TrustedProxies, err)
	}
	for _, tc := range []struct {
		list, want string
		line       int
	}{
		{"[10.0.0.0/8, nonsense]", `web.trusted_proxies[1]: "nonsense" is not a CIDR`, 4},
		{"[10.0.0.0/33]", `web.trusted_proxies[0]: "10.0.0.0/33" is not a CIDR`, 4},
		{"[0.0.0.0/0]", "web.trusted_proxies[0]: \"0.0.0.0/0\" would trust every peer", 4},
		{"['::/0']", "would trust every peer", 4},
		{"[fe80::1%eth0]", "is not a CIDR", 4},
		{"10.0.0.0/8", "cannot unmarshal", 4},
	} {
		_, err := Parse([]byte("domains: [{domain: a.com, host: m.a.com}]\nweb:\n  listen: 127.0.0.1:8080\n  trusted_proxies: " + tc.list + "\n"))
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) || ce.Problems[0].Line != tc.line {
			t.Errorf("%s: err = %v, want %q on line %d", tc.list, err, tc.want, tc.line)
		}
	}
}
