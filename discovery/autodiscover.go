package discovery

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/knowledge"
)

// The namespaces of Outlook's Autodiscover (POX), [MS-OXDSCLI].
const (
	// RequestSchema is the namespace of an Outlook request.
	RequestSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
	// ResponseSchema is the namespace of the outer Autodiscover element
	// of a response.
	ResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
	// OutlookResponseSchema is the schema of the Response element Outlook
	// asks for (AcceptableResponseSchema).
	OutlookResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
)

// AutodiscoverContentType is the media type of Autodiscover documents.
const AutodiscoverContentType = "text/xml; charset=utf-8"

// The error codes of an Autodiscover error response.
const (
	// ErrorNotFound: no account for the address ("The e-mail address
	// cannot be found.").
	ErrorNotFound = 500
	// ErrorInvalidRequest: the request is not an Autodiscover request.
	ErrorInvalidRequest = 600
	// ErrorSchema: the response schema asked for is not supported.
	ErrorSchema = 601
)

type adRequest struct {
	XMLName xml.Name `xml:"Autodiscover"`
	Request struct {
		EMailAddress             string `xml:"EMailAddress"`
		AcceptableResponseSchema string `xml:"AcceptableResponseSchema"`
	} `xml:"Request"`
}

// ErrSchema is returned for a request that asks for a response schema
// mailhelp does not write (an ActiveSync or EWS one).
var ErrSchema = errors.New("unsupported Autodiscover response schema")

// ParseAutodiscoverRequest reads an Outlook Autodiscover request and
// returns the address it is for. A request that is not one (bad XML, a
// DTD, over MaxDocument, no address) wraps ErrInvalid; one asking for
// another response schema wraps ErrSchema.
func ParseAutodiscoverRequest(data []byte) (string, error) {
	var r adRequest
	if err := decodeStrict(data, &r); err != nil {
		return "", err
	}
	if schema := strings.TrimSpace(r.Request.AcceptableResponseSchema); schema != "" && schema != OutlookResponseSchema {
		return "", fmt.Errorf("%w: %q", ErrSchema, clip(schema))
	}
	addr := strings.TrimSpace(r.Request.EMailAddress)
	if addr == "" {
		return "", fmt.Errorf("%w: autodiscover request: no EMailAddress", ErrInvalid)
	}
	return addr, nil
}

type adResponse struct {
	XMLName  xml.Name   `xml:"Autodiscover"`
	XMLNS    string     `xml:"xmlns,attr"`
	Response adInnerOut `xml:"Response"`
}

type adInnerOut struct {
	XMLNS   string      `xml:"xmlns,attr,omitempty"`
	Account *adAccount  `xml:"Account,omitempty"`
	Error   *adErrorOut `xml:"Error,omitempty"`
}

type adAccount struct {
	AccountType string       `xml:"AccountType"`
	Action      string       `xml:"Action"`
	Protocols   []adProtocol `xml:"Protocol"`
}

type adProtocol struct {
	Type           string `xml:"Type"`
	Server         string `xml:"Server"`
	Port           string `xml:"Port"`
	DomainRequired string `xml:"DomainRequired"`
	LoginName      string `xml:"LoginName"`
	SPA            string `xml:"SPA"`
	SSL            string `xml:"SSL"`
	Encryption     string `xml:"Encryption,omitempty"`
	AuthRequired   string `xml:"AuthRequired"`
}

type adErrorOut struct {
	Time      string `xml:"Time,attr"`
	ID        string `xml:"Id,attr"`
	ErrorCode int    `xml:"ErrorCode"`
	Message   string `xml:"Message"`
	DebugData string `xml:"DebugData"`
}

// Autodiscover writes the POX response for address: an email account
// with settings, one IMAP and one SMTP Protocol — each the domain's
// preferred server (Outlook uses the first of a type) — with Encryption
// SSL for implicit TLS and TLS for STARTTLS, password authentication
// (SPA off, AuthRequired on) and the login.
func Autodiscover(s Settings, address string) []byte {
	acct := &adAccount{AccountType: "email", Action: "settings"}
	for _, list := range [][]Server{s.Incoming, s.Outgoing} {
		if len(list) == 0 {
			continue
		}
		sv := list[0]
		p := adProtocol{Type: strings.ToUpper(string(sv.Protocol)), Server: sv.Host, Port: strconv.Itoa(sv.Port),
			DomainRequired: "off", LoginName: Login(sv.Username, address), SPA: "off", SSL: "on", AuthRequired: "on"}
		switch sv.Security {
		case knowledge.ImplicitTLS:
			p.Encryption = "SSL"
		case knowledge.StartTLS:
			p.Encryption = "TLS"
		default:
			p.SSL = "off"
		}
		acct.Protocols = append(acct.Protocols, p)
	}
	return marshalAD(adResponse{XMLNS: ResponseSchema, Response: adInnerOut{XMLNS: OutlookResponseSchema, Account: acct}})
}

// AutodiscoverError writes the POX error response with one of the Error
// codes at time t; id tells the request apart in the administrator's
// logs.
func AutodiscoverError(code int, id string, t time.Time) []byte {
	msg := map[int]string{
		ErrorNotFound:       "The e-mail address cannot be found.",
		ErrorInvalidRequest: "Invalid Request",
		ErrorSchema:         "The requested schema version is not supported.",
	}[code]
	e := &adErrorOut{Time: t.UTC().Format("15:04:05.0000000"), ID: id, ErrorCode: code, Message: msg}
	return marshalAD(adResponse{XMLNS: ResponseSchema, Response: adInnerOut{Error: e}})
}

func marshalAD(r adResponse) []byte {
	out, err := xml.MarshalIndent(r, "", "  ")
	if err != nil {
		panic("discovery: autodiscover: " + err.Error())
	}
	return append(append([]byte(xml.Header), out...), '\n')
}

type adResponseIn struct {
	XMLName  xml.Name `xml:"Autodiscover"`
	Response struct {
		Account *struct {
			AccountType string       `xml:"AccountType"`
			Action      string       `xml:"Action"`
			RedirectURL string       `xml:"RedirectUrl"`
			Redirect    string       `xml:"RedirectAddr"`
			Protocols   []adProtocol `xml:"Protocol"`
		} `xml:"Account"`
		Error *struct {
			ErrorCode string `xml:"ErrorCode"`
			Message   string `xml:"Message"`
		} `xml:"Error"`
	} `xml:"Response"`
}

// AutodiscoverErrorResponse is the error a server answered with.
type AutodiscoverErrorResponse struct {
	Code, Message string
}

func (e *AutodiscoverErrorResponse) Error() string {
	return fmt.Sprintf("autodiscover error %s: %s", clip(e.Code), clip(e.Message))
}

// ParseAutodiscoverResponse reads a POX response as Outlook would, for
// the address it was asked about: the IMAP and SMTP protocols, logins
// turned back into templates (Template). An error response is an
// *AutodiscoverErrorResponse; a document that is not a settings response
// (bad XML, a DTD, a redirect, no IMAP nor SMTP, a bad port) wraps
// ErrInvalid.
func ParseAutodiscoverResponse(data []byte, address string) (Settings, error) {
	var r adResponseIn
	if err := decodeStrict(data, &r); err != nil {
		return Settings{}, err
	}
	if e := r.Response.Error; e != nil {
		return Settings{}, &AutodiscoverErrorResponse{Code: strings.TrimSpace(e.ErrorCode), Message: strings.TrimSpace(e.Message)}
	}
	a := r.Response.Account
	if a == nil {
		return Settings{}, fmt.Errorf("%w: autodiscover: no Account", ErrInvalid)
	}
	if act := strings.TrimSpace(a.Action); !strings.EqualFold(act, "settings") {
		return Settings{}, fmt.Errorf("%w: autodiscover: Action %q, not settings", ErrInvalid, clip(act))
	}
	_, domain, _ := strings.Cut(address, "@")
	s := Settings{Domain: strings.ToLower(domain)}
	var errs []error
	for i, p := range a.Protocols {
		var proto knowledge.Protocol
		switch strings.ToUpper(strings.TrimSpace(p.Type)) {
		case "IMAP":
			proto = knowledge.IMAP
		case "SMTP":
			proto = knowledge.SMTP
		default:
			continue
		}
		sv, err := p.server(proto, address)
		if err != nil {
			errs = append(errs, fmt.Errorf("protocol %d (%s): %w", i+1, proto, err))
			continue
		}
		if proto == knowledge.IMAP {
			s.Incoming = append(s.Incoming, sv)
		} else {
			s.Outgoing = append(s.Outgoing, sv)
		}
	}
	if len(s.Incoming) == 0 && len(s.Outgoing) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("no IMAP or SMTP protocol"))
	}
	if err := errors.Join(errs...); err != nil {
		return s, fmt.Errorf("%w: autodiscover: %w", ErrInvalid, err)
	}
	return s, nil
}

func (p adProtocol) server(proto knowledge.Protocol, address string) (Server, error) {
	out := Server{Protocol: proto, Host: strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p.Server), "."))}
	if !validHost(out.Host) {
		return out, fmt.Errorf("Server %q is not a host name", clip(out.Host))
	}
	port, err := strconv.Atoi(strings.TrimSpace(p.Port))
	if err != nil || port < 1 || port > 65535 {
		return out, fmt.Errorf("Port %q is not a TCP port", clip(p.Port))
	}
	out.Port = port
	// Encryption, when present, overrides SSL ([MS-OXDSCLI] 2.2.4.1.1.2.14).
	switch enc := strings.ToUpper(strings.TrimSpace(p.Encryption)); {
	case enc == "SSL":
		out.Security = knowledge.ImplicitTLS
	case enc == "TLS":
		out.Security = knowledge.StartTLS
	case enc == "NONE":
		out.Security = Plain
	case enc == "AUTO" || enc == "":
		out.Security = Plain
		if !strings.EqualFold(strings.TrimSpace(p.SSL), "off") {
			// SSL on (the default) without Encryption: Outlook picks
			// implicit TLS on the standard TLS ports, STARTTLS elsewhere.
			out.Security = knowledge.ImplicitTLS
			if port != 993 && port != 465 {
				out.Security = knowledge.StartTLS
			}
		}
	default:
		return out, fmt.Errorf("Encryption %q is not SSL, TLS, None or Auto", clip(p.Encryption))
	}
	if login := strings.TrimSpace(p.LoginName); login != "" {
		out.Username = Template(login, address)
	}
	return out, nil
}
