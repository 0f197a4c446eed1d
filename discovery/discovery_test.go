package discovery_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/knowledge"
)

var (
	plainDomain = knowledge.Domain{Name: "domaine.com", Host: "bm.domaine.com"}
	// overridden has aliases, an IDN, and both protocols moved.
	overridden = knowledge.Domain{Name: "Société.fr", Aliases: []string{"paris.societe.fr"}, Host: "mail.societe.fr",
		IMAP: knowledge.Endpoint{Host: "imap.societe.fr", Port: 143},
		SMTP: knowledge.Endpoint{Port: 465}}
)

func TestFor(t *testing.T) {
	s := discovery.For(overridden)
	want := discovery.Settings{
		Domain: "xn--socit-esab.fr", Domains: []string{"xn--socit-esab.fr", "paris.societe.fr"},
		Incoming: []discovery.Server{
			{Protocol: knowledge.IMAP, Host: "imap.societe.fr", Port: 143, Security: knowledge.StartTLS, Username: discovery.UsernameAddress},
			{Protocol: knowledge.IMAP, Host: "imap.societe.fr", Port: 993, Security: knowledge.ImplicitTLS, Username: discovery.UsernameAddress},
		},
		Outgoing: []discovery.Server{
			{Protocol: knowledge.SMTP, Host: "mail.societe.fr", Port: 465, Security: knowledge.ImplicitTLS, Username: discovery.UsernameAddress},
			{Protocol: knowledge.SMTP, Host: "mail.societe.fr", Port: 587, Security: knowledge.StartTLS, Username: discovery.UsernameAddress},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("For = %+v\nwant %+v", s, want)
	}
}

func TestAutoconfigGolden(t *testing.T) {
	docs := []discovery.Doc{{URL: "https://mailhelp.domaine.com/en/thunderbird?domain=domaine.com", Lang: "en", Text: "Set up your mail <& co>"}}
	golden.Assert(t, "autoconfig-plain.xml", string(discovery.Autoconfig(discovery.For(plainDomain), "domaine.com", docs)))
	golden.Assert(t, "autoconfig-overridden.xml", string(discovery.Autoconfig(discovery.For(overridden), "société.fr", nil)))
}

// TestAutoconfigSchema walks the document against the elements and
// attributes of the autoconfig draft (clientConfig 1.1): nothing else
// appears, and every server has its five children.
func TestAutoconfigSchema(t *testing.T) {
	allowed := map[string][]string{
		"":               {"clientConfig"},
		"clientConfig":   {"emailProvider"},
		"emailProvider":  {"domain", "displayName", "displayShortName", "incomingServer", "outgoingServer", "documentation"},
		"incomingServer": {"hostname", "port", "socketType", "authentication", "username"},
		"outgoingServer": {"hostname", "port", "socketType", "authentication", "username"},
		"documentation":  {"descr"},
	}
	attrs := map[string][]string{"clientConfig": {"version"}, "emailProvider": {"id"}, "incomingServer": {"type"},
		"outgoingServer": {"type"}, "documentation": {"url"}, "descr": {"lang"}}
	docs := []discovery.Doc{{URL: "https://x.example/", Lang: "fr", Text: "t"}}
	dec := xml.NewDecoder(bytes.NewReader(discovery.Autoconfig(discovery.For(overridden), "", docs)))
	var stack []string
	children := map[string]int{}
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			if !contains(allowed[parent], tok.Name.Local) {
				t.Errorf("<%s> inside <%s> is not in the draft", tok.Name.Local, parent)
			}
			for _, a := range tok.Attr {
				if !contains(attrs[tok.Name.Local], a.Name.Local) {
					t.Errorf("<%s %s=…> is not in the draft", tok.Name.Local, a.Name.Local)
				}
				if tok.Name.Local == "clientConfig" && a.Value != "1.1" {
					t.Errorf("version %q", a.Value)
				}
			}
			if parent == "incomingServer" || parent == "outgoingServer" {
				children[parent]++
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if children["incomingServer"] != 10 || children["outgoingServer"] != 10 {
		t.Errorf("server children = %v, want 5 per server, 2 servers each", children)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAutoconfigRoundTrip(t *testing.T) {
	for _, d := range []knowledge.Domain{plainDomain, overridden} {
		want := discovery.For(d)
		got, err := discovery.ParseAutoconfig(discovery.Autoconfig(want, "", nil))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip = %+v\nwant %+v", got, want)
		}
	}
}

func TestParseAutoconfigBad(t *testing.T) {
	server := func(port, socket string) string {
		return `<clientConfig version="1.1"><emailProvider id="d.com"><incomingServer type="imap"><hostname>h</hostname><port>` +
			port + `</port><socketType>` + socket + `</socketType></incomingServer></emailProvider></clientConfig>`
	}
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>` +
		`<clientConfig><emailProvider id="&lol2;"/></clientConfig>`
	tests := map[string]string{
		"empty":      "",
		"not xml":    "hello",
		"html":       "<!doctype html><html><body>Not found</body></html>",
		"binary":     "\x00\x01\xff\xfe<",
		"dtd":        laughs,
		"other root": "<config/>",
		"no server":  `<clientConfig version="1.1"><emailProvider id="d.com"/></clientConfig>`,
		"pop3 only": `<clientConfig version="1.1"><emailProvider id="d.com"><incomingServer type="pop3"><hostname>h</hostname>` +
			`<port>995</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>`,
		"bad port":     server("99999", "SSL"),
		"word port":    server("imap", "SSL"),
		"bad socket":   server("993", "TLSv9"),
		"bad hostname": strings.Replace(server("993", "SSL"), "<hostname>h</hostname>", "<hostname>mail server; rm -rf</hostname>", 1),
		"huge":         "<clientConfig>" + strings.Repeat("<x>a</x>", discovery.MaxDocument/8) + "</clientConfig>",
		"unclosed":     "<clientConfig><emailProvider>",
		"two roots ok": "",
	}
	delete(tests, "two roots ok")
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := discovery.ParseAutoconfig([]byte(doc))
			if !errors.Is(err, discovery.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestParseAutoconfigLenient(t *testing.T) {
	// What real publishers write: upper-case types, spaces, a trailing
	// dot, POP3 servers to skip, unknown elements.
	doc := `<?xml version="1.0"?>
<!-- comment -->
<clientConfig version="1.1"><emailProvider id=" D.com ">
  <domain>D.COM</domain><unknown>x</unknown>
  <incomingServer type="pop3"><hostname>pop.d.com</hostname><port>995</port><socketType>SSL</socketType></incomingServer>
  <incomingServer type="IMAP"><hostname> Mail.D.com. </hostname><port> 993 </port><socketType>ssl</socketType><username>%EMAILLOCALPART%</username></incomingServer>
  <outgoingServer type="smtp"><hostname>mail.d.com</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
</emailProvider></clientConfig>`
	s, err := discovery.ParseAutoconfig([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := discovery.Settings{Domain: "D.com", Domains: []string{"d.com"},
		Incoming: []discovery.Server{{Protocol: knowledge.IMAP, Host: "mail.d.com", Port: 993, Security: knowledge.ImplicitTLS, Username: discovery.UsernameLocalPart}},
		Outgoing: []discovery.Server{{Protocol: knowledge.SMTP, Host: "mail.d.com", Port: 587, Security: knowledge.StartTLS}}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
}

const request = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>alice@domaine.com</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>`

func TestParseAutodiscoverRequest(t *testing.T) {
	addr, err := discovery.ParseAutodiscoverRequest([]byte(request))
	if err != nil || addr != "alice@domaine.com" {
		t.Fatalf("= %q, %v", addr, err)
	}
	bad := map[string]error{
		"":                discovery.ErrInvalid,
		"<Autodiscover/>": discovery.ErrInvalid,
		"garbage":         discovery.ErrInvalid,
		strings.Replace(request, "outlook/responseschema/2006a", "mobilesync/responseschema/2006", 1):                                            discovery.ErrSchema,
		`<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><Autodiscover><Request><EMailAddress>&x;</EMailAddress></Request></Autodiscover>`: discovery.ErrInvalid,
		strings.Repeat(" ", discovery.MaxDocument+1) + request:                                                                                   discovery.ErrInvalid,
	}
	for doc, want := range bad {
		if _, err := discovery.ParseAutodiscoverRequest([]byte(doc)); !errors.Is(err, want) {
			t.Errorf("%.40q: err = %v, want %v", doc, err, want)
		}
	}
}

func TestAutodiscoverGolden(t *testing.T) {
	golden.Assert(t, "autodiscover-plain.xml", string(discovery.Autodiscover(discovery.For(plainDomain), "alice@domaine.com")))
	golden.Assert(t, "autodiscover-overridden.xml", string(discovery.Autodiscover(discovery.For(overridden), "bob@xn--socit-esab.fr")))
	at := time.Date(2026, 11, 30, 21, 4, 5, 0, time.UTC)
	golden.Assert(t, "autodiscover-error.xml", string(discovery.AutodiscoverError(discovery.ErrorNotFound, "abc123", at)))
}

// TestAutodiscoverResponseSchema checks the POX response's elements:
// the two namespaces, Account/AccountType email/Action settings, and per
// Protocol the elements Outlook reads.
func TestAutodiscoverResponseSchema(t *testing.T) {
	var r struct {
		XMLName  xml.Name
		Response struct {
			XMLName xml.Name
			Account struct {
				AccountType, Action string
				Protocol            []struct {
					Type, Server, Port, DomainRequired, LoginName, SPA, SSL, Encryption, AuthRequired string
				}
			}
		}
	}
	if err := xml.Unmarshal(discovery.Autodiscover(discovery.For(overridden), "bob@xn--socit-esab.fr"), &r); err != nil {
		t.Fatal(err)
	}
	if r.XMLName.Space != discovery.ResponseSchema || r.Response.XMLName.Space != discovery.OutlookResponseSchema {
		t.Errorf("namespaces %q, %q", r.XMLName.Space, r.Response.XMLName.Space)
	}
	a := r.Response.Account
	if a.AccountType != "email" || a.Action != "settings" || len(a.Protocol) != 2 {
		t.Fatalf("account %+v", a)
	}
	imap, smtp := a.Protocol[0], a.Protocol[1]
	if imap.Type != "IMAP" || imap.Server != "imap.societe.fr" || imap.Port != "143" || imap.Encryption != "TLS" ||
		imap.SSL != "on" || imap.SPA != "off" || imap.AuthRequired != "on" || imap.LoginName != "bob@xn--socit-esab.fr" {
		t.Errorf("IMAP %+v", imap)
	}
	if smtp.Type != "SMTP" || smtp.Port != "465" || smtp.Encryption != "SSL" {
		t.Errorf("SMTP %+v", smtp)
	}
}

func TestAutodiscoverRoundTrip(t *testing.T) {
	want := discovery.For(plainDomain)
	got, err := discovery.ParseAutodiscoverResponse(discovery.Autodiscover(want, "alice@domaine.com"), "alice@domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Incoming, want.Incoming[:1]) || !reflect.DeepEqual(got.Outgoing, want.Outgoing[:1]) {
		t.Errorf("round trip = %+v", got)
	}
	_, err = discovery.ParseAutodiscoverResponse(discovery.AutodiscoverError(discovery.ErrorNotFound, "x", time.Now()), "a@b.c")
	var ae *discovery.AutodiscoverErrorResponse
	if !errors.As(err, &ae) || ae.Code != "500" {
		t.Errorf("error response: %v", err)
	}
}

func TestParseAutodiscoverEncryption(t *testing.T) {
	proto := func(port, ssl, enc, login string) string {
		return `<Autodiscover xmlns="` + discovery.ResponseSchema + `"><Response xmlns="` + discovery.OutlookResponseSchema +
			`"><Account><AccountType>email</AccountType><Action>settings</Action><Protocol><Type>IMAP</Type><Server>m.d.com</Server><Port>` +
			port + `</Port><SSL>` + ssl + `</SSL>` + enc + `<LoginName>` + login + `</LoginName></Protocol></Account></Response></Autodiscover>`
	}
	tests := []struct {
		doc      string
		security knowledge.Security
		username string
	}{
		{proto("993", "on", "", "a@d.com"), knowledge.ImplicitTLS, discovery.UsernameAddress},
		{proto("143", "on", "", "a"), knowledge.StartTLS, discovery.UsernameLocalPart},
		{proto("143", "off", "", "A@D.COM"), discovery.Plain, discovery.UsernameAddress},
		{proto("993", "off", "<Encryption>SSL</Encryption>", "other"), knowledge.ImplicitTLS, "other"},
		{proto("143", "on", "<Encryption>None</Encryption>", ""), discovery.Plain, ""},
	}
	for _, tc := range tests {
		s, err := discovery.ParseAutodiscoverResponse([]byte(tc.doc), "a@d.com")
		if err != nil {
			t.Fatal(err)
		}
		if sv := s.Incoming[0]; sv.Security != tc.security || sv.Username != tc.username {
			t.Errorf("%s: got %+v", tc.doc, sv)
		}
	}
}

func TestZoneGolden(t *testing.T) {
	golden.Assert(t, "zone-plain.txt", discovery.Zone(discovery.For(plainDomain), "mailhelp.domaine.com"))
	golden.Assert(t, "zone-overridden.txt", discovery.Zone(discovery.For(overridden), ""))
}

func TestRecords(t *testing.T) {
	got := map[string]string{}
	for _, r := range discovery.Records(discovery.For(plainDomain)) {
		got[r.Service] = r.Target
		if r.Target == "." && r.Port != 0 {
			t.Errorf("%s: not offered but port %d", r.Service, r.Port)
		}
	}
	want := map[string]string{"_imaps._tcp": "bm.domaine.com.", "_imap._tcp": "bm.domaine.com.", "_submissions._tcp": "bm.domaine.com.",
		"_submission._tcp": "bm.domaine.com.", "_pop3s._tcp": ".", "_pop3._tcp": "."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("targets = %v", got)
	}
}

func TestLoginTemplate(t *testing.T) {
	for _, tc := range []struct{ tmpl, addr, login string }{
		{discovery.UsernameAddress, "a@d.com", "a@d.com"},
		{discovery.UsernameLocalPart, "a@d.com", "a"},
		{"fixed", "a@d.com", "fixed"},
	} {
		if got := discovery.Login(tc.tmpl, tc.addr); got != tc.login {
			t.Errorf("Login(%q) = %q", tc.tmpl, got)
		}
		if got := discovery.Template(tc.login, tc.addr); got != tc.tmpl {
			t.Errorf("Template(%q) = %q", tc.login, got)
		}
	}
}

// TestRecordsNonStandardPort: SRV records carry the port a domain
// really uses.
func TestRecordsNonStandardPort(t *testing.T) {
	d := knowledge.Domain{Name: "d.com", Host: "m.d.com", IMAP: knowledge.Endpoint{Port: 1993, Security: knowledge.ImplicitTLS}}
	for _, r := range discovery.Records(discovery.For(d)) {
		if r.Service == "_imaps._tcp" && (r.Port != 1993 || r.Target != "m.d.com.") {
			t.Errorf("_imaps: %+v", r)
		}
	}
}
