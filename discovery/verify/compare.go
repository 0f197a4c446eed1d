package verify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
)

// compareConfigured compares a published document's preferred servers
// with the expected ones (what clients use is the first of each side),
// and flags every server published without TLS. address is the one the
// document was asked for: a literal login is compared as the template
// it stands for.
func compareConfigured(got, want discovery.Settings, address string) []discovery.Problem {
	var ps []discovery.Problem
	ps = append(ps, compareSide(knowledge.IMAP, got.Incoming, want.Incoming, address)...)
	ps = append(ps, compareSide(knowledge.SMTP, got.Outgoing, want.Outgoing, address)...)
	for _, sv := range append(append([]discovery.Server(nil), got.Incoming...), got.Outgoing...) {
		if sv.Security == discovery.Plain {
			ps = append(ps, discovery.Problem{Code: discovery.CodeInsecureTransport, Field: string(sv.Protocol),
				Got: string(sv.Security), Detail: fmt.Sprintf("%s:%d is published without TLS: passwords would travel in clear", sv.Host, sv.Port)})
		}
	}
	return ps
}

// compareSide compares the preferred server of one protocol.
func compareSide(p knowledge.Protocol, got, want []discovery.Server, address string) []discovery.Problem {
	if len(want) == 0 {
		return nil
	}
	w, field := want[0], string(p)
	mk := func(code discovery.Code, want, got string) discovery.Problem {
		return discovery.Problem{Code: code, Field: field, Want: want, Got: got, Against: discovery.AgainstConfigured}
	}
	if len(got) == 0 {
		p := mk(discovery.CodeMissing, serverString(w), "")
		p.Detail = fmt.Sprintf("the document has no %s server", strings.ToUpper(field))
		return []discovery.Problem{p}
	}
	g := got[0]
	var ps []discovery.Problem
	if hostKey(g.Host) != hostKey(w.Host) {
		ps = append(ps, mk(discovery.CodeMismatchHost, hostKey(w.Host), clip(g.Host)))
	}
	if g.Port != w.Port {
		ps = append(ps, mk(discovery.CodeMismatchPort, strconv.Itoa(w.Port), strconv.Itoa(g.Port)))
	}
	if g.Security != w.Security {
		ps = append(ps, mk(discovery.CodeMismatchSecurity, string(w.Security), string(g.Security)))
	}
	// An unknown username ("") is not a mismatch: clients then ask.
	if g.Username != "" && discovery.Template(discovery.Login(g.Username, address), address) != w.Username {
		ps = append(ps, mk(discovery.CodeMismatchUsername, w.Username, clip(g.Username)))
	}
	return ps
}

// hostKey is the form host names are compared in.
func hostKey(h string) string { return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), ".")) }

// serverString shows a server as "host:port (security)".
func serverString(s discovery.Server) string {
	return fmt.Sprintf("%s:%d (%s)", s.Host, s.Port, s.Security)
}
