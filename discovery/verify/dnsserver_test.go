package verify

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// srvRecord is one SRV answer of a test zone.
type srvRecord struct {
	priority, weight, port uint16
	target                 string
}

// zone is the table a test DNS server answers from: A records, SRV
// records and forced error codes, by lowercase name without the final
// dot. Other names are NXDOMAIN.
type zone struct {
	mu    sync.Mutex
	a     map[string][]netip.Addr
	srv   map[string][]srvRecord
	rcode map[string]int
}

func newZone() *zone {
	return &zone{a: map[string][]netip.Addr{}, srv: map[string][]srvRecord{}, rcode: map[string]int{}}
}

func zkey(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

func (z *zone) setA(name string, ips ...string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.a[zkey(name)] = nil
	for _, ip := range ips {
		z.a[zkey(name)] = append(z.a[zkey(name)], netip.MustParseAddr(ip))
	}
}

func (z *zone) delA(name string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	delete(z.a, zkey(name))
}

func (z *zone) setSRV(name string, recs ...srvRecord) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if len(recs) == 0 {
		delete(z.srv, zkey(name))
		return
	}
	z.srv[zkey(name)] = recs
}

func (z *zone) fail(name string, rcode int) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.rcode[zkey(name)] = rcode
}

// ServeDNS answers one query from the table.
func (z *zone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
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
			m.Answer = append(m.Answer, &dns.SRV{Hdr: hdr(dns.TypeSRV), Priority: s.priority, Weight: s.weight,
				Port: s.port, Target: dns.Fqdn(s.target)})
		}
	}
}

// startDNS serves z on 127.0.0.1, over UDP and TCP on one random port,
// until the test ends, and returns the address.
func startDNS(t testing.TB, z *zone) string {
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

// testResolver is a real resolver that asks only the DNS server at addr.
func testResolver(addr string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
}

func TestDNSServer(t *testing.T) {
	z := newZone()
	z.setA("host.example.test", "127.0.0.1")
	z.setSRV("_imaps._tcp.example.test", srvRecord{0, 1, 993, "host.example.test"})
	addr := startDNS(t, z)
	for _, network := range []string{"udp", "tcp"} {
		c := &dns.Client{Net: network}
		q := new(dns.Msg).SetQuestion("_imaps._tcp.example.test.", dns.TypeSRV)
		m, _, err := c.Exchange(q, addr)
		if err != nil {
			t.Fatalf("%s: %v", network, err)
		}
		if len(m.Answer) != 1 || m.Answer[0].(*dns.SRV).Port != 993 {
			t.Errorf("%s: answer %v", network, m.Answer)
		}
		m, _, err = c.Exchange(new(dns.Msg).SetQuestion("nothing.example.test.", dns.TypeA), addr)
		if err != nil || m.Rcode != dns.RcodeNameError {
			t.Errorf("%s: unknown name: rcode %v, %v", network, m, err)
		}
	}
	r := testResolver(addr)
	ips, err := r.LookupNetIP(context.Background(), "ip", "host.example.test.")
	if err != nil || fmt.Sprint(ips) != "[127.0.0.1]" {
		t.Errorf("LookupNetIP = %v, %v", ips, err)
	}
	if _, err := r.LookupNetIP(context.Background(), "ip", "nothing.example.test."); !notFound(err) {
		t.Errorf("unknown name: %v, want not found", err)
	}
}
