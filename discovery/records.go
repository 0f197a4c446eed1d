package discovery

import (
	"fmt"
	"strings"

	"github.com/mailhelp/mailhelp/knowledge"
)

// SRV is one service record of RFC 6186 (as updated by RFC 8314).
type SRV struct {
	// Service is the record's label ("_imaps._tcp").
	Service string
	// Protocol and Security say what the service is.
	Protocol knowledge.Protocol
	Security knowledge.Security
	// Port is the service's standard port; a Record carries the port
	// the domain really uses.
	Port int
}

// Services are the SRV services a client looks up, implicit TLS first
// (RFC 8314 section 5.1): IMAP and submission, then POP3, which
// mailhelp's domains do not offer.
var Services = []SRV{
	{Service: "_imaps._tcp", Protocol: knowledge.IMAP, Security: knowledge.ImplicitTLS, Port: 993},
	{Service: "_imap._tcp", Protocol: knowledge.IMAP, Security: knowledge.StartTLS, Port: 143},
	{Service: "_submissions._tcp", Protocol: knowledge.SMTP, Security: knowledge.ImplicitTLS, Port: 465},
	{Service: "_submission._tcp", Protocol: knowledge.SMTP, Security: knowledge.StartTLS, Port: 587},
	{Service: "_pop3s._tcp", Port: 995},
	{Service: "_pop3._tcp", Port: 110},
}

// Record is a service's record for a domain: where it is offered, or
// Target "." when it is not.
type Record struct {
	SRV
	Target           string
	Priority, Weight uint16
}

// Records returns the SRV records a domain should publish for each of
// Services: the configured endpoint of a protocol with priority 0, its
// alternative with priority 10 (clients prefer the lowest), and target
// "." with port 0 for services not offered.
func Records(s Settings) []Record {
	var out []Record
	for _, svc := range Services {
		r := Record{SRV: svc, Target: "."}
		r.Port = 0
		list := s.Incoming
		if svc.Protocol == knowledge.SMTP {
			list = s.Outgoing
		}
		for i, sv := range list {
			// The service says the security; the port is the server's,
			// standard or not (that is what SRV records are for).
			if svc.Protocol != "" && sv.Security == svc.Security {
				r.Target, r.Priority, r.Weight, r.Port = sv.Host+".", uint16(10*i), 1, sv.Port
				break
			}
		}
		out = append(out, r)
	}
	return out
}

// ZoneTTL is the time to live of the records mailhelp suggests.
const ZoneTTL = 3600

// Zone writes the DNS records to publish for a domain as zone-file lines:
// the SRV records of every name (the domain and its aliases), and, when
// webHost (where mailhelp's web side is reached) is known, the
// autoconfig and autodiscover names pointing at it.
func Zone(s Settings, webHost string) string {
	var b strings.Builder
	recs := Records(s)
	for _, name := range s.Domains {
		fmt.Fprintf(&b, "; %s: mail services (RFC 6186, RFC 8314); target \".\" = not offered\n", name)
		for _, r := range recs {
			owner := r.Service + "." + name + "."
			fmt.Fprintf(&b, "%-40s %d IN SRV %d %d %d %s\n", owner, ZoneTTL, r.Priority, r.Weight, r.Port, r.Target)
		}
		fmt.Fprintf(&b, "; %s: autoconfig (Thunderbird…) and Autodiscover (Outlook), served by mailhelp\n", name)
		if webHost == "" {
			fmt.Fprintf(&b, "; set web.public_url to name mailhelp's host, then point these at it:\n")
			fmt.Fprintf(&b, ";%-39s %d IN CNAME <mailhelp's host>.\n", "autoconfig."+name+".", ZoneTTL)
			fmt.Fprintf(&b, ";%-39s %d IN CNAME <mailhelp's host>.\n", "autodiscover."+name+".", ZoneTTL)
			continue
		}
		target := strings.TrimSuffix(webHost, ".") + "."
		fmt.Fprintf(&b, "%-40s %d IN CNAME %s\n", "autoconfig."+name+".", ZoneTTL, target)
		fmt.Fprintf(&b, "%-40s %d IN CNAME %s\n", "autodiscover."+name+".", ZoneTTL, target)
	}
	return b.String()
}
