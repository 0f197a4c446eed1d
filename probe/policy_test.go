package probe

import (
	"context"
	"errors"
	"net/netip"
	"testing"
)

func addrs(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

// TestPolicyBlocksPrivateTargets: with arbitrary hosts allowed, no form of
// a private, loopback, metadata or otherwise internal address gets through,
// whether typed as a literal or reached through a name.
func TestPolicyBlocksPrivateTargets(t *testing.T) {
	res := staticResolver{
		"loopback.evil.example":   addrs("127.0.0.1"),
		"metadata.evil.example":   addrs("169.254.169.254"),
		"rebind.evil.example":     addrs("93.184.216.34", "10.0.0.5"),
		"v6meta.evil.example":     addrs("fd00:ec2::254"),
		"mapped.evil.example":     addrs("::ffff:192.168.0.1"),
		"localhost":               addrs("127.0.0.1", "::1"),
		"private172.evil.example": addrs("172.20.1.1"),
		"cgnat.evil.example":      addrs("100.100.100.200"),
	}
	p := &Policy{AllowAnyHost: true, Resolver: res}
	blocked := []string{
		// IPv4 literals
		"127.0.0.1", "127.1.2.3", "127.255.255.254", "10.0.0.1", "10.255.255.255",
		"172.16.0.1", "172.31.255.255", "192.168.1.1", "192.168.255.255",
		"169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.254",
		"0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255",
		"240.0.0.1", "192.0.0.170", "198.18.0.1", "192.0.2.1", "198.51.100.7", "203.0.113.9",
		// IPv6 literals
		"::1", "::", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
		"::ffff:0:7f00:1", "::127.0.0.1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
		"64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::1",
		"2002:7f00:1::1", "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
		"fec0::1", "2001:db8::1", "100::1", "fe80::1%eth0",
		// names resolving to internal addresses
		"loopback.evil.example", "metadata.evil.example", "rebind.evil.example",
		"v6meta.evil.example", "mapped.evil.example", "localhost",
		"private172.evil.example", "cgnat.evil.example",
	}
	if len(blocked) < 40 {
		t.Fatalf("keep at least 40 forms, have %d", len(blocked))
	}
	for _, h := range blocked {
		t.Run(h, func(t *testing.T) {
			got, err := p.Resolve(context.Background(), h)
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("Resolve(%q) = %v, %v; want a policy refusal", h, got, err)
			}
			if pe.Code != "blocked_address" && pe.Code != "bad_host" {
				t.Errorf("code = %s", pe.Code)
			}
		})
	}
}

func TestPolicyRefusesNonHosts(t *testing.T) {
	p := &Policy{AllowAnyHost: true, Resolver: staticResolver{}}
	for _, h := range []string{
		"", "http://127.0.0.1/", "https://bm.domaine.com", "127.0.0.1:993", "[::1]", "user@bm.domaine.com",
		"bm.domaine.com/path", "bm domaine.com", "-bad.example", "bm..domaine.com", "bm.domaine.com\x00.evil",
		"é.example", "a.b%2e.example",
	} {
		_, err := p.Resolve(context.Background(), h)
		var pe *PolicyError
		if !errors.As(err, &pe) || pe.Code != "bad_host" {
			t.Errorf("Resolve(%q): err = %v, want bad_host", h, err)
		}
	}
}

func TestPolicyAllows(t *testing.T) {
	res := staticResolver{
		"bm.domaine.com":  addrs("10.1.2.3"),
		"mail.public.org": addrs("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"),
	}
	tests := []struct {
		name string
		p    *Policy
		host string
		want []netip.Addr
		code string
	}{
		{"configured host on a private address", &Policy{Allowed: []string{"bm.domaine.com"}, Resolver: res}, "bm.domaine.com", addrs("10.1.2.3"), ""},
		{"configured, case and dot", &Policy{Allowed: []string{"BM.domaine.com."}, Resolver: res}, "bm.DOMAINE.com", addrs("10.1.2.3"), ""},
		{"unconfigured, not allowed", &Policy{Allowed: []string{"bm.domaine.com"}, Resolver: res}, "mail.public.org", nil, "not_allowed"},
		{"unconfigured public host allowed", &Policy{AllowAnyHost: true, Resolver: res}, "mail.public.org", addrs("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"), ""},
		{"public literal", &Policy{AllowAnyHost: true}, "1.1.1.1", addrs("1.1.1.1"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.p.Resolve(context.Background(), tc.host)
			if tc.code != "" {
				var pe *PolicyError
				if !errors.As(err, &pe) || pe.Code != tc.code {
					t.Errorf("err = %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	if (&Policy{}).AllowPort(22) || !(&Policy{}).AllowPort(587) || !(&Policy{Ports: []int{2525}}).AllowPort(2525) {
		t.Error("ports")
	}
}

func FuzzBlockedReason(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::ffff:10.0.0.1", "8.8.8.8", "2606:4700::1111", "fe80::1", "64:ff9b::1"} {
		a := netip.MustParseAddr(s).As16()
		f.Add(a[:])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var a netip.Addr
		switch len(b) {
		case 4:
			a = netip.AddrFrom4([4]byte(b))
		case 16:
			a = netip.AddrFrom16([16]byte(b))
		default:
			return
		}
		why := BlockedReason(a)
		u := a.Unmap()
		internal := u.IsLoopback() || u.IsPrivate() || u.IsLinkLocalUnicast() || u.IsMulticast() ||
			u.IsUnspecified() || u.IsInterfaceLocalMulticast() || u.IsLinkLocalMulticast() || a.Is4In6()
		if internal && why == "" {
			t.Fatalf("%s is internal but not blocked", a)
		}
		if a.Is4() && BlockedReason(netip.AddrFrom16(a.As16())) == "" {
			t.Fatalf("the IPv4-mapped form of %s is not blocked", a)
		}
	})
}
