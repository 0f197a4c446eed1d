package discovery

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/mailhelp/mailhelp/knowledge"
)

// AutoconfigContentType is the media type of an autoconfig document.
const AutoconfigContentType = "application/xml; charset=utf-8"

// MaxDocument bounds a discovery document mailhelp reads: an autoconfig
// file, an Autodiscover request or response.
const MaxDocument = 64 << 10

// Doc is a link to human-readable instructions, in one language.
type Doc struct {
	URL, Lang, Text string
}

type acConfig struct {
	XMLName  xml.Name   `xml:"clientConfig"`
	Version  string     `xml:"version,attr"`
	Provider acProvider `xml:"emailProvider"`
}

type acProvider struct {
	ID               string     `xml:"id,attr"`
	Domains          []string   `xml:"domain"`
	DisplayName      string     `xml:"displayName"`
	DisplayShortName string     `xml:"displayShortName"`
	Incoming         []acServer `xml:"incomingServer"`
	Outgoing         []acServer `xml:"outgoingServer"`
	Documentation    []acDoc    `xml:"documentation,omitempty"`
}

type acServer struct {
	Type           string `xml:"type,attr"`
	Hostname       string `xml:"hostname"`
	Port           string `xml:"port"`
	SocketType     string `xml:"socketType"`
	Authentication string `xml:"authentication"`
	Username       string `xml:"username"`
}

type acDoc struct {
	URL   string    `xml:"url,attr"`
	Descr []acDescr `xml:"descr"`
}

type acDescr struct {
	Lang string `xml:"lang,attr"`
	Text string `xml:",chardata"`
}

// socketTypes maps mailhelp's security modes to autoconfig's socketType.
var socketTypes = map[knowledge.Security]string{
	knowledge.ImplicitTLS: "SSL",
	knowledge.StartTLS:    "STARTTLS",
	Plain:                 "plain",
}

// Autoconfig writes s as a Mozilla autoconfig document (clientConfig
// version 1.1): every domain name, the incoming and outgoing servers in
// order of preference with password authentication, and docs as
// documentation links.
func Autoconfig(s Settings, displayName string, docs []Doc) []byte {
	p := acProvider{ID: s.Domain, Domains: s.Domains, DisplayName: displayName, DisplayShortName: s.Domain}
	if p.DisplayName == "" {
		p.DisplayName = s.Domain
	}
	for _, sv := range s.Incoming {
		p.Incoming = append(p.Incoming, acServerOf("imap", sv))
	}
	for _, sv := range s.Outgoing {
		p.Outgoing = append(p.Outgoing, acServerOf("smtp", sv))
	}
	if len(docs) > 0 {
		d := acDoc{URL: docs[0].URL}
		for _, x := range docs {
			d.Descr = append(d.Descr, acDescr{Lang: x.Lang, Text: x.Text})
		}
		p.Documentation = []acDoc{d}
	}
	out, err := xml.MarshalIndent(acConfig{Version: "1.1", Provider: p}, "", "  ")
	if err != nil {
		// Only strings and slices of them: Marshal cannot fail.
		panic("discovery: autoconfig: " + err.Error())
	}
	return append(append([]byte(xml.Header), out...), '\n')
}

func acServerOf(typ string, sv Server) acServer {
	return acServer{Type: typ, Hostname: sv.Host, Port: strconv.Itoa(sv.Port), SocketType: socketTypes[sv.Security],
		Authentication: "password-cleartext", Username: sv.Username}
}

// ErrInvalid is wrapped by every error about a document that is not what
// its format says.
var ErrInvalid = errors.New("invalid discovery document")

// ParseAutoconfig reads an autoconfig document as a client would: the
// IMAP incoming and SMTP outgoing servers in their order (POP3 and other
// types are skipped), and the domains it claims. A document that is not
// XML, has a DTD, is over MaxDocument, is not a clientConfig, or has a
// server with a bad port or socket type wraps ErrInvalid.
func ParseAutoconfig(data []byte) (Settings, error) {
	var c acConfig
	if err := decodeStrict(data, &c); err != nil {
		return Settings{}, err
	}
	s := Settings{Domain: strings.TrimSpace(c.Provider.ID)}
	for _, d := range c.Provider.Domains {
		s.Domains = append(s.Domains, strings.ToLower(strings.TrimSpace(d)))
	}
	var errs []error
	read := func(want string, p knowledge.Protocol, list []acServer, dst *[]Server) {
		for i, sv := range list {
			if !strings.EqualFold(strings.TrimSpace(sv.Type), want) {
				continue
			}
			out, err := sv.server(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s server %d: %w", want, i+1, err))
				continue
			}
			*dst = append(*dst, out)
		}
	}
	read("imap", knowledge.IMAP, c.Provider.Incoming, &s.Incoming)
	read("smtp", knowledge.SMTP, c.Provider.Outgoing, &s.Outgoing)
	if len(s.Incoming) == 0 && len(s.Outgoing) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("no IMAP or SMTP server"))
	}
	if err := errors.Join(errs...); err != nil {
		return s, fmt.Errorf("%w: autoconfig: %w", ErrInvalid, err)
	}
	return s, nil
}

func (sv acServer) server(p knowledge.Protocol) (Server, error) {
	out := Server{Protocol: p, Host: strings.ToLower(strings.TrimSuffix(strings.TrimSpace(sv.Hostname), ".")),
		Username: strings.TrimSpace(sv.Username)}
	port, err := strconv.Atoi(strings.TrimSpace(sv.Port))
	if err != nil || port < 1 || port > 65535 {
		return out, fmt.Errorf("port %q is not a TCP port", clip(sv.Port))
	}
	out.Port = port
	if !validHost(out.Host) {
		return out, fmt.Errorf("hostname %q is not a host name", clip(out.Host))
	}
	st := strings.TrimSpace(sv.SocketType)
	for sec, name := range socketTypes {
		if strings.EqualFold(st, name) {
			out.Security = sec
		}
	}
	if out.Security == "" {
		return out, fmt.Errorf("socketType %q is not SSL, STARTTLS or plain", clip(st))
	}
	return out, nil
}

// decodeStrict decodes the first XML element of data into v, refusing
// what mailhelp never needs and an attacker could use: a size over
// MaxDocument, and a DTD (entity definitions; encoding/xml would not
// expand them, but no legitimate document has one).
func decodeStrict(data []byte, v any) error {
	if len(data) > MaxDocument {
		return fmt.Errorf("%w: %d bytes is over the %d-byte limit", ErrInvalid, len(data), MaxDocument)
	}
	if bytes.Contains(data, []byte("<!")) && hasDirective(data) {
		return fmt.Errorf("%w: a DTD or other directive is not allowed", ErrInvalid)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// hasDirective reports whether the document has a <!DOCTYPE …> or other
// directive (comments and CDATA are fine).
func hasDirective(data []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return false
		}
		if _, ok := tok.(xml.Directive); ok {
			return true
		}
	}
}

// clip shortens what a document said for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return strings.ToValidUTF8(s, "�")
}

// validHost accepts a DNS host name or an IP address, as published.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	_, err := knowledge.CanonicalDomain(h)
	return err == nil
}
