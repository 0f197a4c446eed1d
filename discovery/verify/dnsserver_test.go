package verify

import (
	"context"
	"fmt"
	"testing"

	"github.com/miekg/dns"

	"github.com/mailhelp/mailhelp/internal/testdns"
)

func TestDNSServer(t *testing.T) {
	z := testdns.NewZone()
	z.SetA("host.example.test", "127.0.0.1")
	z.SetSRV("_imaps._tcp.example.test", testdns.SRV{Priority: 0, Weight: 1, Port: 993, Target: "host.example.test"})
	addr := testdns.Start(t, z)
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
	r := testdns.Resolver(addr)
	ips, err := r.LookupNetIP(context.Background(), "ip", "host.example.test.")
	if err != nil || fmt.Sprint(ips) != "[127.0.0.1]" {
		t.Errorf("LookupNetIP = %v, %v", ips, err)
	}
	if _, err := r.LookupNetIP(context.Background(), "ip", "nothing.example.test."); !notFound(err) {
		t.Errorf("unknown name: %v, want not found", err)
	}
}
