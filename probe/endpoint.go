package probe

import "fmt"

// Protocol is IMAP or SMTP.
type Protocol string

// The protocols a check covers.
const (
	IMAP Protocol = "imap"
	SMTP Protocol = "smtp"
)

// Security is how an endpoint is protected.
type Security string

// The security modes of an endpoint.
const (
	// ImplicitTLS: TLS from the first byte (IMAP 993, SMTP 465).
	ImplicitTLS Security = "ssl/tls"
	// StartTLS: plaintext upgraded with STARTTLS, which must be offered
	// (IMAP 143, SMTP 587).
	StartTLS Security = "starttls"
	// OptionalTLS: STARTTLS used when offered (SMTP 25, server to server).
	OptionalTLS Security = "optional-tls"
)

// Endpoint is one port of a mail server and how to speak to it.
type Endpoint struct {
	// Host overrides Target.Host for this endpoint (a domain may name
	// different IMAP and SMTP servers); empty means Target.Host.
	Host     string   `json:"host,omitempty"`
	Protocol Protocol `json:"protocol"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	// Submission marks an SMTP endpoint devices send through, where
	// authentication is required (587, 465); port 25 is not one.
	Submission bool `json:"submission,omitempty"`
}

// String returns "imap/993 (ssl/tls)", with the host when it has one.
func (e Endpoint) String() string {
	if e.Host != "" {
		return fmt.Sprintf("%s/%s:%d (%s)", e.Protocol, e.Host, e.Port, e.Security)
	}
	return fmt.Sprintf("%s/%d (%s)", e.Protocol, e.Port, e.Security)
}

// DefaultEndpoints are the five ports of a BlueMind-style server, the
// recommended one of each protocol first.
func DefaultEndpoints() []Endpoint {
	return []Endpoint{
		{Protocol: IMAP, Port: 993, Security: ImplicitTLS},
		{Protocol: IMAP, Port: 143, Security: StartTLS},
		{Protocol: SMTP, Port: 587, Security: StartTLS, Submission: true},
		{Protocol: SMTP, Port: 465, Security: ImplicitTLS, Submission: true},
		{Protocol: SMTP, Port: 25, Security: OptionalTLS},
	}
}

// Target is what to check: the host users type, and its endpoints.
type Target struct {
	// Host is the server name users are told to type; the certificate
	// must be valid for it, and it is sent as TLS server name.
	Host string
	// Endpoints to check; DefaultEndpoints when empty.
	Endpoints []Endpoint
}
