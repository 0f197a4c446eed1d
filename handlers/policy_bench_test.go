package handlers

import (
	"fmt"
	"maps"
	"testing"

	"github.com/mailhelp/mailhelp/knowledge"
)

// BenchmarkCheckPolicy measures building the dial policy of n domains,
// at every start and reload; the time per domain must stay flat.
//
//	go test ./handlers -run XXX -bench BenchmarkCheckPolicy -benchtime 3x
func BenchmarkCheckPolicy(b *testing.B) {
	for _, n := range []int{1, 1000, 10000, 100000} {
		domains := make([]knowledge.Domain, n)
		for i := range domains {
			domains[i] = knowledge.Domain{Name: fmt.Sprintf("d%d.example", i), Host: fmt.Sprintf("mail.d%d.example", i)}
		}
		dir, err := knowledge.NewDirectory(domains)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("domains=%d", n), func(b *testing.B) {
			for b.Loop() {
				CheckPolicy(dir, false, nil)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/domain")
		})
	}
}

// TestCheckPolicyCoversTargets: the policy allows exactly the hosts and
// ports of every domain's DomainTarget, besides the standard ports.
func TestCheckPolicyCoversTargets(t *testing.T) {
	domains := []knowledge.Domain{
		{Name: "a.example", Host: "Mail.A.example."},
		{Name: "b.example", Host: "mail.b.example", IMAP: knowledge.Endpoint{Port: 10993, Security: knowledge.ImplicitTLS}, SMTP: knowledge.Endpoint{Host: "out.b.example", Port: 2525, Security: knowledge.StartTLS}},
		{Name: "c.example", Host: "mail.a.example", SMTP: knowledge.Endpoint{Port: 465, Security: knowledge.ImplicitTLS}},
		{Name: "société.example", Host: "mail.société.example"},
	}
	dir, err := knowledge.NewDirectory(domains)
	if err != nil {
		t.Fatal(err)
	}
	wantHosts, wantPorts := map[string]bool{}, map[int]bool{25: true, 143: true, 465: true, 587: true, 993: true}
	for _, d := range dir.Domains() {
		for _, e := range DomainTarget(d).Endpoints {
			wantHosts[e.Host], wantPorts[e.Port] = true, true
		}
	}
	p := CheckPolicy(dir, false, nil)
	gotHosts, gotPorts := map[string]bool{}, map[int]bool{}
	for _, h := range p.Allowed {
		if gotHosts[h] {
			t.Errorf("host %s listed twice", h)
		}
		gotHosts[h] = true
	}
	for _, n := range p.Ports {
		gotPorts[n] = true
	}
	if !maps.Equal(gotHosts, wantHosts) || !maps.Equal(gotPorts, wantPorts) {
		t.Errorf("policy hosts %v ports %v; targets' hosts %v ports %v", gotHosts, gotPorts, wantHosts, wantPorts)
	}
}
