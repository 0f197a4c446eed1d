package knowledge

import (
	"errors"
	"fmt"
	"strings"
)

// Endpoint is where and how a client reaches one protocol of the server.
type Endpoint struct {
	Host     string
	Port     int
	Security Security
}

// Domain is one mail domain an administrator configured.
type Domain struct {
	// Name is the domain of the addresses ("domaine.com").
	Name string
	// Aliases are other domains served the same way ("paris.domaine.com").
	Aliases []string
	// Host is what users type as the server: the address they open webmail
	// with, without https:// ("bm.domaine.com").
	Host string
	// Webmail is the webmail URL; empty means https://Host.
	Webmail string
	// Support is how to reach the helpdesk, shown as is ("ext. 4321").
	Support string
	// Language is the default answer language for this domain's users.
	Language string
	// IMAP and SMTP override the host, port or security of one protocol;
	// zero fields keep the defaults (Host, the recommended port, and the
	// policy's security for that port).
	IMAP Endpoint
	SMTP Endpoint
}

// Incoming returns the IMAP endpoint users should configure.
func (d Domain) Incoming() Endpoint { return d.endpoint(IMAP, d.IMAP) }

// Outgoing returns the SMTP endpoint users should configure.
func (d Domain) Outgoing() Endpoint { return d.endpoint(SMTP, d.SMTP) }

func (d Domain) endpoint(p Protocol, o Endpoint) Endpoint {
	e := Endpoint{Host: d.Host, Port: o.Port, Security: o.Security}
	if o.Host != "" {
		e.Host = o.Host
	}
	rec := RecommendedPort(p)
	if e.Port == 0 {
		e.Port = rec.Port
	}
	if e.Security == "" {
		if r, ok := PortRuleFor(p, e.Port); ok {
			e.Security = r.Security
		} else {
			e.Security = rec.Security
		}
	}
	return e
}

// Offered returns the endpoints of a protocol users may configure: the
// configured one first, then its alternative on the same host (the other
// of 993/143 for IMAP, of 587/465 for SMTP) for networks that block the
// first. Answers, autoconfig, Autodiscover and DNS records all give
// these, in this order.
func (d Domain) Offered(p Protocol) []Endpoint {
	e := d.Incoming()
	if p == SMTP {
		e = d.Outgoing()
	}
	return []Endpoint{e, Alternative(p, e)}
}

// Alternative is the other standard endpoint of a protocol on e's host:
// implicit TLS when e uses STARTTLS, and the reverse.
func Alternative(p Protocol, e Endpoint) Endpoint {
	alt := Endpoint{Host: e.Host, Port: 993, Security: ImplicitTLS}
	switch {
	case p == IMAP && e.Security == ImplicitTLS:
		alt.Port, alt.Security = 143, StartTLS
	case p == SMTP && e.Security == ImplicitTLS:
		alt.Port, alt.Security = 587, StartTLS
	case p == SMTP:
		alt.Port = 465
	}
	return alt
}

// WebmailURL returns the webmail address users open in a browser.
func (d Domain) WebmailURL() string {
	if d.Webmail != "" {
		return d.Webmail
	}
	return "https://" + d.Host
}

// Validate reports what is wrong with a domain's settings, if anything.
func (d Domain) Validate() error { return errors.Join(d.Problems()...) }

// Problems lists what is wrong with a domain's settings, one error per
// problem, each starting with the field it is about ("imap.port: …").
func (d Domain) Problems() []error {
	var errs []error
	if _, err := CanonicalDomain(d.Name); err != nil {
		errs = append(errs, fmt.Errorf("domain: %w", err))
	}
	for i, a := range d.Aliases {
		if _, err := CanonicalDomain(a); err != nil {
			errs = append(errs, fmt.Errorf("aliases[%d]: %w", i, err))
		}
	}
	if _, err := CanonicalDomain(d.Host); err != nil {
		errs = append(errs, fmt.Errorf("host: %w", err))
	}
	if d.Webmail != "" && !strings.HasPrefix(d.Webmail, "https://") && !strings.HasPrefix(d.Webmail, "http://") {
		errs = append(errs, fmt.Errorf("webmail: %q is not an http(s) URL", d.Webmail))
	}
	errs = append(errs, validateEndpoint("imap", IMAP, d.IMAP)...)
	errs = append(errs, validateEndpoint("smtp", SMTP, d.SMTP)...)
	return errs
}

func validateEndpoint(field string, p Protocol, e Endpoint) []error {
	var errs []error
	if e.Host != "" {
		if _, err := CanonicalDomain(e.Host); err != nil {
			errs = append(errs, fmt.Errorf("%s.host: %w", field, err))
		}
	}
	if e.Port < 0 || e.Port > 65535 {
		errs = append(errs, fmt.Errorf("%s.port: %d is not a TCP port", field, e.Port))
	}
	switch e.Security {
	case "", ImplicitTLS, StartTLS:
	case OptionalTLS:
		errs = append(errs, fmt.Errorf("%s.security: %q would let devices send passwords in clear; use %q or %q", field, e.Security, ImplicitTLS, StartTLS))
	default:
		errs = append(errs, fmt.Errorf("%s.security: %q is not one of %q, %q", field, e.Security, ImplicitTLS, StartTLS))
	}
	if r, ok := PortRuleFor(p, e.Port); ok && r.Reach == ReachInternalUnlessAuth {
		// Every answer tells users not to use it: port 25 relays to
		// other domains only after a login some devices never send.
		errs = append(errs, fmt.Errorf("%s.port: %d is for mail between servers; give users 587 (starttls) or 465 (ssl/tls)", field, e.Port))
	}
	if e.Port != 0 && e.Security == "" {
		if _, ok := PortRuleFor(p, e.Port); !ok {
			errs = append(errs, fmt.Errorf("%s.security: port %d is not a standard %s port, so its security must be given", field, e.Port, p))
		}
	}
	return errs
}
