package discovery

import (
	"strings"

	"github.com/mailhelp/mailhelp/knowledge"
)

// Plain is the security of a server reached without TLS, which a domain
// may publish but mailhelp never does.
const Plain knowledge.Security = "plain"

// The username templates of Mozilla autoconfig, which the other formats
// are compared with.
const (
	// UsernameAddress stands for the user's full address.
	UsernameAddress = "%EMAILADDRESS%"
	// UsernameLocalPart stands for the part of the address before the @.
	UsernameLocalPart = "%EMAILLOCALPART%"
)

// Server is one server a discovery document advertises.
type Server struct {
	// Protocol is knowledge.IMAP or knowledge.SMTP.
	Protocol knowledge.Protocol `json:"protocol"`
	Host     string             `json:"host"`
	Port     int                `json:"port"`
	// Security is knowledge.ImplicitTLS, knowledge.StartTLS or Plain.
	Security knowledge.Security `json:"security"`
	// Username is the login as published: UsernameAddress,
	// UsernameLocalPart, or a literal login.
	Username string `json:"username,omitempty"`
}

// Settings is what a domain publishes, or should publish, for clients to
// configure themselves.
type Settings struct {
	// Domain is the mail domain; Domains are it and its aliases.
	Domain  string   `json:"domain"`
	Domains []string `json:"domains,omitempty"`
	// Incoming and Outgoing are the servers, preferred first.
	Incoming []Server `json:"incoming,omitempty"`
	Outgoing []Server `json:"outgoing,omitempty"`
}

// For returns what a configured domain should publish: its names, and
// for each protocol the configured endpoint then its alternative
// (knowledge.Domain.Offered), logging in with the full address.
func For(d knowledge.Domain) Settings {
	s := Settings{Domain: canonical(d.Name)}
	s.Domains = append(s.Domains, s.Domain)
	for _, a := range d.Aliases {
		s.Domains = append(s.Domains, canonical(a))
	}
	for _, e := range d.Offered(knowledge.IMAP) {
		s.Incoming = append(s.Incoming, server(knowledge.IMAP, e))
	}
	for _, e := range d.Offered(knowledge.SMTP) {
		s.Outgoing = append(s.Outgoing, server(knowledge.SMTP, e))
	}
	return s
}

func server(p knowledge.Protocol, e knowledge.Endpoint) Server {
	return Server{Protocol: p, Host: canonical(e.Host), Port: e.Port, Security: e.Security, Username: UsernameAddress}
}

// canonical is a name's lookup form, or the name when it has none.
func canonical(name string) string {
	if c, err := knowledge.CanonicalDomain(name); err == nil {
		return c
	}
	return name
}

// Login expands a published username template for an address.
func Login(template, address string) string {
	switch template {
	case UsernameAddress:
		return address
	case UsernameLocalPart:
		if i := strings.LastIndexByte(address, '@'); i >= 0 {
			return address[:i]
		}
		return address
	}
	return template
}

// Template is the template a literal login stands for with an address:
// UsernameAddress for the address itself (any case), UsernameLocalPart
// for its local part, else the login unchanged.
func Template(login, address string) string {
	switch {
	case strings.EqualFold(login, address):
		return UsernameAddress
	case login == Login(UsernameLocalPart, address):
		return UsernameLocalPart
	}
	return login
}
