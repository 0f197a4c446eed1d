package knowledge

// Protocol is a mail protocol a client uses to reach the server.
type Protocol string

// The protocols of a mail account.
const (
	IMAP Protocol = "imap" // incoming mail
	SMTP Protocol = "smtp" // outgoing mail
)

// Security is how a connection is protected.
type Security string

// The security modes a mail port may use.
const (
	// ImplicitTLS: TLS from the first byte (often labelled "SSL" or "SSL/TLS").
	ImplicitTLS Security = "ssl/tls"
	// StartTLS: the connection starts in clear and is upgraded with STARTTLS
	// (often labelled "TLS" on devices).
	StartTLS Security = "starttls"
	// OptionalTLS: STARTTLS is offered but not required (SMTP port 25).
	OptionalTLS Security = "optional-tls"
)

// Reach says to whom mail sent through an SMTP port can go.
type Reach string

// The reaches of SMTP ports.
const (
	// ReachAnyone: any recipient, once authenticated.
	ReachAnyone Reach = "anyone"
	// ReachInternalUnlessAuth: without authentication only the organisation's
	// own domains; with authentication, or from a network the administrator
	// listed in "My networks", anyone.
	ReachInternalUnlessAuth Reach = "internal-unless-auth"
)

// PortRule is one port of the server's policy.
type PortRule struct {
	Protocol Protocol
	Port     int
	Security Security
	// AuthRequired: the client must log in (username = full address).
	AuthRequired bool
	// Recommended marks the port to give users first for the protocol.
	Recommended bool
	// Reach applies to SMTP ports only.
	Reach Reach
}

// portPolicy is the BlueMind policy: IMAP 993 (SSL/TLS) or 143 (STARTTLS);
// SMTP 587 (STARTTLS + authentication), 465 (SSL/TLS + authentication) or 25
// (TLS optional; internal domains only without authentication).
var portPolicy = []PortRule{
	{Protocol: IMAP, Port: 993, Security: ImplicitTLS, AuthRequired: true, Recommended: true},
	{Protocol: IMAP, Port: 143, Security: StartTLS, AuthRequired: true},
	{Protocol: SMTP, Port: 587, Security: StartTLS, AuthRequired: true, Recommended: true, Reach: ReachAnyone},
	{Protocol: SMTP, Port: 465, Security: ImplicitTLS, AuthRequired: true, Reach: ReachAnyone},
	{Protocol: SMTP, Port: 25, Security: OptionalTLS, AuthRequired: false, Reach: ReachInternalUnlessAuth},
}

// Ports returns the port policy, recommended port first for each protocol.
func Ports() []PortRule {
	out := make([]PortRule, len(portPolicy))
	copy(out, portPolicy)
	return out
}

// PortRuleFor returns the policy of a protocol's port, if the policy knows it.
func PortRuleFor(p Protocol, port int) (PortRule, bool) {
	for _, r := range portPolicy {
		if r.Protocol == p && r.Port == port {
			return r, true
		}
	}
	return PortRule{}, false
}

// RecommendedPort returns the port to give users first for a protocol.
func RecommendedPort(p Protocol) PortRule {
	for _, r := range portPolicy {
		if r.Protocol == p && r.Recommended {
			return r
		}
	}
	panic("knowledge: no recommended port for " + string(p))
}

// IsMailPort reports whether port is one of the policy's ports for any
// protocol.
func IsMailPort(port int) bool {
	for _, r := range portPolicy {
		if r.Port == port {
			return true
		}
	}
	return false
}
