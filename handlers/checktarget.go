package handlers

import (
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// CheckTarget is what a check request asks to test: the configured
// servers of the address's domain, the domain whose server was named, or
// else the named host itself (which the dial policy may refuse).
func CheckTarget(dir Directory, p bot.Parsed) (probe.Target, error) {
	switch {
	case !p.Address.IsZero():
		d, ok := dir.Lookup(p.Address.Domain)
		if !ok {
			return probe.Target{}, &bot.Error{Kind: bot.KindNotFound, Code: bot.CodeUnknownDomain,
				MsgID: "check.error.unknown_domain", Data: map[string]any{"Domain": p.Address.Domain}}
		}
		return DomainTarget(d), nil
	case p.Host != "":
		if d, ok := dir.LookupHost(p.Host); ok {
			return DomainTarget(d), nil
		}
		host, err := knowledge.CanonicalDomain(p.Host)
		if err != nil {
			host = p.Host // an IP address; the policy judges it
		}
		return probe.Target{Host: host}, nil
	}
	return probe.Target{}, &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeNoTarget, MsgID: "check.what.title"}
}

// DomainTarget lists a domain's endpoints: the incoming and outgoing ones
// users are told to type first (so the verdict is about them), then the
// alternative of each, then port 25.
func DomainTarget(d knowledge.Domain) probe.Target {
	in, out := d.Incoming(), d.Outgoing()
	inHost, outHost := canonical(in.Host), canonical(out.Host)
	eps := []probe.Endpoint{{Host: inHost, Protocol: probe.IMAP, Port: in.Port, Security: probe.Security(in.Security)}}
	if in.Security == knowledge.ImplicitTLS && in.Port != 143 {
		eps = append(eps, probe.Endpoint{Host: inHost, Protocol: probe.IMAP, Port: 143, Security: probe.StartTLS})
	} else if in.Security == knowledge.StartTLS && in.Port != 993 {
		eps = append(eps, probe.Endpoint{Host: inHost, Protocol: probe.IMAP, Port: 993, Security: probe.ImplicitTLS})
	}
	eps = append(eps, probe.Endpoint{Host: outHost, Protocol: probe.SMTP, Port: out.Port, Security: probe.Security(out.Security), Submission: true})
	if out.Security == knowledge.StartTLS && out.Port != 465 {
		eps = append(eps, probe.Endpoint{Host: outHost, Protocol: probe.SMTP, Port: 465, Security: probe.ImplicitTLS, Submission: true})
	} else if out.Security == knowledge.ImplicitTLS && out.Port != 587 {
		eps = append(eps, probe.Endpoint{Host: outHost, Protocol: probe.SMTP, Port: 587, Security: probe.StartTLS, Submission: true})
	}
	eps = append(eps, probe.Endpoint{Host: outHost, Protocol: probe.SMTP, Port: 25, Security: probe.OptionalTLS})
	return probe.Target{Host: inHost, Endpoints: eps}
}

// CheckPolicy returns the dial policy of a configuration: its servers are
// allowed, on the standard ports and the ports it configures.
func CheckPolicy(dir Directory, allowAnyHost bool, resolver probe.Resolver) *probe.Policy {
	p := &probe.Policy{AllowAnyHost: allowAnyHost, Resolver: resolver, Ports: []int{25, 143, 465, 587, 993}}
	// Sets, not scans of the lists: a provider's configuration has tens
	// of thousands of domains, and this runs at every start and reload.
	// DomainTarget's endpoints are the domain's incoming and outgoing
	// servers, on their configured ports and standard ones: only those
	// two hosts and two ports are the domain's own.
	hosts := make(map[string]bool)
	ports := map[int]bool{25: true, 143: true, 465: true, 587: true, 993: true}
	for d := range dir.All() {
		in, out := d.Incoming(), d.Outgoing()
		for _, e := range [...]knowledge.Endpoint{in, out} {
			if h := canonical(e.Host); !hosts[h] {
				hosts[h] = true
				p.Allowed = append(p.Allowed, h)
			}
			if !ports[e.Port] {
				ports[e.Port] = true
				p.Ports = append(p.Ports, e.Port)
			}
		}
	}
	return p
}

func canonical(host string) string {
	if c, err := knowledge.CanonicalDomain(host); err == nil {
		return c
	}
	return host
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
