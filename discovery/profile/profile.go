// Package profile builds Apple configuration profiles (.mobileconfig)
// that set up one IMAP/SMTP mail account on an iPhone, iPad or Mac in one
// tap, and signs them (CMS SignedData) when a certificate and key are
// configured, so that devices show the profile as verified.
//
// A profile never carries a password: the device asks for it once while
// installing (OutgoingPasswordSameAsIncomingPassword), so the file is
// safe to serve to anyone who knows the address.
//
// Key names and meanings follow Apple's Device Management reference for
// the Mail payload (https://developer.apple.com/documentation/devicemanagement/mail,
// whose source is mdm/profiles/com.apple.mail.managed.yaml in
// github.com/apple/device-management) and its top-level profile keys
// (mdm/profiles/TopLevel.yaml there).
package profile

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"howett.net/plist"

	"github.com/mailhelp/mailhelp/knowledge"
)

// ContentType is the media type to serve a profile with, signed or not,
// so that Safari offers to install it.
const ContentType = "application/x-apple-aspen-config"

// ErrInvalidInput is wrapped by the errors Build returns for an address,
// a name or a server setting it cannot put in a profile.
var ErrInvalidInput = errors.New("profile: invalid input")

// Names are the profile's human-readable texts, already localized by the
// caller.
type Names struct {
	// Profile is the profile's PayloadDisplayName ("Mail – alice@domaine.com").
	Profile string
	// Description is the profile's PayloadDescription: what installing it does.
	Description string
	// Account is the EmailAccountDescription: the account's name in Mail.
	// It also names the mail payload (its PayloadDisplayName).
	Account string
	// Organization is the PayloadOrganization; empty omits it.
	Organization string
}

// Account is whose profile it is.
type Account struct {
	// Address is the e-mail address, already validated by the caller.
	Address string
	// Username is the login for both IMAP and SMTP (usually the address);
	// empty means the address.
	Username string
}

// The keys below are Apple's; the struct order does not matter, the
// encoder sorts dictionary keys, which keeps the output deterministic.

// configuration is the top level of a profile (TopLevel.yaml).
type configuration struct {
	PayloadType              string
	PayloadVersion           int
	PayloadIdentifier        string
	PayloadUUID              string
	PayloadDisplayName       string
	PayloadDescription       string
	PayloadOrganization      string `plist:",omitempty"`
	PayloadRemovalDisallowed bool
	PayloadContent           []mailPayload
}

// mailPayload is one com.apple.mail.managed payload.
//
// UseSSL and STARTTLS: Apple documents IncomingMailServerUseSSL as "If
// true, the system enables SSL for authentication on the incoming mail
// server" and OutgoingMailServerUseSSL as "If true, the system enables SSL
// authentication on the outgoing mail server", both defaulting to false
// (developer.apple.com/documentation/devicemanagement/mail; the same text
// is in apple/device-management, mdm/profiles/com.apple.mail.managed.yaml).
// There is no separate STARTTLS key: the payload has one switch per
// server, like the "Use SSL" switch of the Mail settings it fills in.
// Apple's own profile example on that page sets
// OutgoingMailServerPortNumber 587 — the STARTTLS submission port — with
// OutgoingMailServerUseSSL true, so true is what asks for an encrypted
// connection on a STARTTLS port as well as on an implicit-TLS one (993,
// 465); the device picks TLS-first or STARTTLS from the port. false would
// let the password travel in clear, so both security modes map to true
// and anything else is refused.
type mailPayload struct {
	PayloadType                            string
	PayloadVersion                         int
	PayloadIdentifier                      string
	PayloadUUID                            string
	PayloadDisplayName                     string
	EmailAccountType                       string
	EmailAccountDescription                string
	EmailAddress                           string
	IncomingMailServerHostName             string
	IncomingMailServerPortNumber           int
	IncomingMailServerUseSSL               bool
	IncomingMailServerAuthentication       string
	IncomingMailServerUsername             string
	OutgoingMailServerHostName             string
	OutgoingMailServerPortNumber           int
	OutgoingMailServerUseSSL               bool
	OutgoingMailServerAuthentication       string
	OutgoingMailServerUsername             string
	OutgoingPasswordSameAsIncomingPassword bool
}

// Build returns the unsigned profile (an XML property list) that adds
// a's mail account on d's servers.
//
// The profile's and the account payload's PayloadIdentifier and
// PayloadUUID depend only on the address (its domain compared without
// regard to case), so installing a newer profile for the same address
// replaces the older one instead of adding a second account. The output
// is deterministic.
//
// Build refuses (with an error wrapping ErrInvalidInput) an address
// without a local part and a valid domain, an empty Profile, Description
// or Account name, text that is not valid UTF-8 or holds characters an
// XML property list cannot carry (NUL and other control characters but
// tab, line feed and carriage return), and a server without a host, a
// port or a TLS mode.
func Build(d knowledge.Domain, a Account, n Names) ([]byte, error) {
	canonical, domain, err := canonicalAddress(a.Address)
	if err != nil {
		return nil, err
	}
	if a.Username == "" {
		a.Username = a.Address
	}
	for _, f := range []struct{ name, value string }{
		{"Names.Profile", n.Profile},
		{"Names.Description", n.Description},
		{"Names.Account", n.Account},
	} {
		if strings.TrimSpace(f.value) == "" {
			return nil, fmt.Errorf("%w: %s is empty", ErrInvalidInput, f.name)
		}
	}
	in, out := d.Incoming(), d.Outgoing()
	inSSL, err := useSSL("incoming (IMAP)", in)
	if err != nil {
		return nil, err
	}
	outSSL, err := useSSL("outgoing (SMTP)", out)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, value string }{
		{"Account.Address", a.Address},
		{"Account.Username", a.Username},
		{"Names.Profile", n.Profile},
		{"Names.Description", n.Description},
		{"Names.Account", n.Account},
		{"Names.Organization", n.Organization},
		{"incoming host", in.Host},
		{"outgoing host", out.Host},
	} {
		if err := checkText(f.name, f.value); err != nil {
			return nil, err
		}
	}

	id := identifier(canonical, domain)
	p := configuration{
		PayloadType:              "Configuration",
		PayloadVersion:           1,
		PayloadIdentifier:        id,
		PayloadUUID:              uuid5("profile:" + canonical),
		PayloadDisplayName:       n.Profile,
		PayloadDescription:       n.Description,
		PayloadOrganization:      n.Organization,
		PayloadRemovalDisallowed: false,
		PayloadContent: []mailPayload{{
			PayloadType:                            "com.apple.mail.managed",
			PayloadVersion:                         1,
			PayloadIdentifier:                      id + ".account",
			PayloadUUID:                            uuid5("account:" + canonical),
			PayloadDisplayName:                     n.Account,
			EmailAccountType:                       "EmailTypeIMAP",
			EmailAccountDescription:                n.Account,
			EmailAddress:                           a.Address,
			IncomingMailServerHostName:             in.Host,
			IncomingMailServerPortNumber:           in.Port,
			IncomingMailServerUseSSL:               inSSL,
			IncomingMailServerAuthentication:       "EmailAuthPassword",
			IncomingMailServerUsername:             a.Username,
			OutgoingMailServerHostName:             out.Host,
			OutgoingMailServerPortNumber:           out.Port,
			OutgoingMailServerUseSSL:               outSSL,
			OutgoingMailServerAuthentication:       "EmailAuthPassword",
			OutgoingMailServerUsername:             a.Username,
			OutgoingPasswordSameAsIncomingPassword: true,
		}},
	}
	b, err := plist.MarshalIndent(p, plist.XMLFormat, "\t")
	if err != nil {
		return nil, fmt.Errorf("profile: encoding: %w", err)
	}
	return append(b, '\n'), nil
}

// useSSL returns the value of a UseSSL key for an endpoint (see
// mailPayload), refusing an endpoint a device could not use safely.
func useSSL(what string, e knowledge.Endpoint) (bool, error) {
	if strings.TrimSpace(e.Host) == "" {
		return false, fmt.Errorf("%w: the %s server has no host name", ErrInvalidInput, what)
	}
	if e.Port <= 0 || e.Port > 65535 {
		return false, fmt.Errorf("%w: the %s server's port %d is not a TCP port", ErrInvalidInput, what, e.Port)
	}
	switch e.Security {
	case knowledge.ImplicitTLS, knowledge.StartTLS:
		return true, nil
	}
	return false, fmt.Errorf("%w: the %s server's security %q is neither %q nor %q", ErrInvalidInput, what, e.Security, knowledge.ImplicitTLS, knowledge.StartTLS)
}

// canonicalAddress returns the address with its domain in canonical form
// (lower case, internationalized labels in their xn-- form), and that
// domain. The local part is kept as is: only the domain of an address is
// case-insensitive.
func canonicalAddress(address string) (canonical, domain string, err error) {
	if !utf8.ValidString(address) {
		return "", "", fmt.Errorf("%w: Account.Address is not valid UTF-8", ErrInvalidInput)
	}
	at := strings.LastIndexByte(address, '@')
	if at <= 0 || at == len(address)-1 {
		return "", "", fmt.Errorf("%w: Account.Address %q is not an e-mail address", ErrInvalidInput, clip(address))
	}
	domain, err = knowledge.CanonicalDomain(address[at+1:])
	if err != nil {
		return "", "", fmt.Errorf("%w: Account.Address %q: %w", ErrInvalidInput, clip(address), err)
	}
	return address[:at+1] + domain, domain, nil
}

// checkText refuses a string an XML property list cannot carry unchanged.
// XML 1.0 allows no control characters but tab, line feed and carriage
// return, and neither U+FFFE nor U+FFFF; the encoder would otherwise
// replace them with U+FFFD, and a device would show something else than
// the caller meant.
func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidInput, field)
	}
	for i, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return fmt.Errorf("%w: %s holds the character %U at byte %d, which a property list cannot carry", ErrInvalidInput, field, r, i)
		}
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// identifier returns the profile's PayloadIdentifier: the address's
// domain labels reversed, then ".mailhelp.mail." and the first 16 hex
// digits of the SHA-256 of the canonical address
// ("com.domaine.mailhelp.mail.0123456789abcdef"). The hash, not the
// address, keeps the local part (which may hold any character) out of
// the identifier.
func identifier(canonical, domain string) string {
	labels := strings.Split(domain, ".")
	slices.Reverse(labels)
	sum := sha256.Sum256([]byte(canonical))
	return strings.Join(labels, ".") + ".mailhelp.mail." + hex.EncodeToString(sum[:8])
}

// namespace is the UUID namespace of mailhelp's profiles (a random UUID
// drawn once; changing it would make every device install a second
// account next to the one an older profile added).
var namespace = [16]byte{
	0x6d, 0xfd, 0x70, 0xe9, 0x56, 0x6c, 0x40, 0x78,
	0x91, 0xf5, 0x6b, 0x7a, 0x71, 0x64, 0x71, 0x71,
}

// uuid5 returns the RFC 4122 (RFC 9562) version-5 UUID of name in
// mailhelp's namespace, upper-case like Apple's tools write them.
func uuid5(name string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	s := strings.ToUpper(hex.EncodeToString(u[:]))
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
