// Package testdns is a real DNS server on loopback for tests: it answers
// A, AAAA and SRV queries from a table, over UDP and TCP, with NXDOMAIN
// for other names, so code under test resolves through a real
// net.Resolver (miekg/dns on the server side).
package testdns

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// SRV is one SRV answer of a zone.
type SRV struct {
	Priority, Weight, Port uint16
	Target                 string
}

// Zone is the table a test DNS server answers from: A records, SRV
// records and forced error codes, by lowercase name without the final
// dot. Other names are NXDOMAIN.
type Zone struct {
	mu    sync.Mutex
	a     map[string][]netip.Addr
	srv   map[string][]SRV
	rcode map[string]int
}

// NewZone returns an empty zone: every name is NXDOMAIN.
func NewZone() *Zone {
	return &Zone{a: map[string][]netip.Addr{}, srv: map[string][]SRV{}, rcode: map[string]int{}}
}

func zkey(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

// SetA sets the addresses of name (A and AAAA).
func (z *Zone) SetA(name string, ips ...string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.a[zkey(name)] = nil
	for _, ip := range ips {
		z.a[zkey(name)] = append(z.a[zkey(name)], netip.MustParseAddr(ip))
	}
}

// DelA removes the addresses of name.
func (z *Zone) DelA(name string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	delete(z.a, zkey(name))
}

// SetSRV sets the SRV records of name; none removes them.
func (z *Zone) SetSRV(name string, recs ...SRV) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if len(recs) == 0 {
		delete(z.srv, zkey(name))
		return
	}
	z.srv[zkey(name)] = recs
}

// Fail makes queries for name answer rcode (dns.RcodeServerFailure…).
func (z *Zone) Fail(name string, rcode int) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.rcode[zkey(name)] = rcode
}

// ServeDNS answers one query from the table.
func (z *Zone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative, m.RecursionAvailable = true, true
	defer func() { _ = w.WriteMsg(m) }()
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		return
	}
	q := req.Question[0]
	name := zkey(q.Name)
	z.mu.Lock()
	defer z.mu.Unlock()
	if rc, ok := z.rcode[name]; ok {
		m.Rcode = rc
		return
	}
	addrs, hasA := z.a[name]
	srvs, hasSRV := z.srv[name]
	if !hasA && !hasSRV {
		m.Rcode = dns.RcodeNameError
		return
	}
	hdr := func(t uint16) dns.RR_Header {
		return dns.RR_Header{Name: q.Name, Rrtype: t, Class: dns.ClassINET, Ttl: 60}
	}
	switch q.Qtype {
	case dns.TypeA, dns.TypeAAAA:
		for _, a := range addrs {
			switch {
			case q.Qtype == dns.TypeA && a.Is4():
				m.Answer = append(m.Answer, &dns.A{Hdr: hdr(dns.TypeA), A: a.AsSlice()})
			case q.Qtype == dns.TypeAAAA && a.Is6():
				m.Answer = append(m.Answer, &dns.AAAA{Hdr: hdr(dns.TypeAAAA), AAAA: a.AsSlice()})
			}
		}
	case dns.TypeSRV:
		for _, s := range srvs {
			m.Answer = append(m.Answer, &dns.SRV{Hdr: hdr(dns.TypeSRV), Priority: s.Priority, Weight: s.Weight,
				Port: s.Port, Target: dns.Fqdn(s.Target)})
		}
	}
}

// Start serves z on 127.0.0.1, over UDP and TCP on one random port,
// until the test ends, and returns the address.
func Start(t testing.TB, z *Zone) string {
	t.Helper()
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := pc.LocalAddr().String()
		l, err := net.Listen("tcp", addr)
		if err != nil {
			pc.Close()
			continue // the port is taken over TCP: try another
		}
		for _, srv := range []*dns.Server{{PacketConn: pc, Handler: z}, {Listener: l, Handler: z}} {
			started := make(chan struct{})
			srv.NotifyStartedFunc = func() { close(started) }
			go func() { _ = srv.ActivateAndServe() }()
			<-started
			t.Cleanup(func() { _ = srv.Shutdown() })
		}
		return addr
	}
	t.Fatal("no free port for the DNS server")
	return ""
}

// Resolver is a real resolver that asks only the DNS server at addr.
func Resolver(addr string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
}
