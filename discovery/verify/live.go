package verify

import (
	"fmt"
	"strconv"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// compareLiveAll compares the documents that were read with the live
// check.
func compareLiveAll(rs []result, live *probe.Report) {
	for i := range rs {
		if rs[i].read && rs[i].src.Found != nil {
			rs[i].add(compareLive(*rs[i].src.Found, live)...)
		}
	}
}

// compareLive compares a document's preferred servers with what the
// live check found on the same host and port; a server the live check
// did not reach is not judged.
func compareLive(found discovery.Settings, live *probe.Report) []discovery.Problem {
	var ps []discovery.Problem
	for _, side := range [][]discovery.Server{found.Incoming, found.Outgoing} {
		if len(side) == 0 {
			continue
		}
		sv := side[0]
		ep := liveEndpoint(live, sv)
		if ep == nil {
			continue
		}
		if p, ok := liveProblem(sv, ep); ok {
			ps = append(ps, p)
		}
	}
	return ps
}

// liveEndpoint is the live check's endpoint at sv's host and port,
// preferring one of the same protocol.
func liveEndpoint(live *probe.Report, sv discovery.Server) *probe.EndpointReport {
	var match *probe.EndpointReport
	for i := range live.Endpoints {
		ep := &live.Endpoints[i]
		host := ep.Host
		if host == "" {
			host = live.Host
		}
		if hostKey(host) != hostKey(sv.Host) || ep.Port != sv.Port {
			continue
		}
		if string(ep.Protocol) == string(sv.Protocol) {
			return ep
		}
		if match == nil {
			match = ep
		}
	}
	return match
}

// liveProblem judges a published server by the live check of its
// endpoint: the port could not be connected to, or it speaks another
// security than published.
func liveProblem(sv discovery.Server, ep *probe.EndpointReport) (discovery.Problem, bool) {
	field := string(sv.Protocol)
	where := sv.Host + ":" + strconv.Itoa(sv.Port)
	mk := func(code discovery.Code, want, got, detail string) (discovery.Problem, bool) {
		return discovery.Problem{Code: code, Field: field, Want: want, Got: got, Against: discovery.AgainstLive, Detail: detail}, true
	}
	// What the live check dialed with; port 25's optional STARTTLS is
	// STARTTLS for a client.
	liveSec := knowledge.Security(ep.Security)
	if liveSec == knowledge.OptionalTLS {
		liveSec = knowledge.StartTLS
	}
	for _, p := range ep.Problems {
		switch {
		case p.Code == probe.CodeRefused || p.Code == probe.CodeUnreachable || p.Code == probe.CodeTimeout && ep.Address == "" && ep.TLS == nil && ep.Banner == "":
			return mk(discovery.CodeMismatchPort, "", strconv.Itoa(sv.Port),
				fmt.Sprintf("the live check could not connect to %s: %s", where, clipLong(p.Detail)))
		}
	}
	switch {
	case ep.TLS != nil && liveSec != sv.Security:
		// The live check's handshake worked in its own mode.
		return mk(discovery.CodeMismatchSecurity, string(liveSec), string(sv.Security),
			fmt.Sprintf("the live check found %s on %s", liveSec, where))
	case sv.Security == knowledge.StartTLS && ep.Has(probe.CodeSTARTTLSMissing):
		return mk(discovery.CodeMismatchSecurity, "", string(sv.Security),
			fmt.Sprintf("the live check found no STARTTLS on %s: %s", where, clipLong(detailOf(ep, probe.CodeSTARTTLSMissing))))
	case sv.Security == knowledge.ImplicitTLS && liveSec == knowledge.ImplicitTLS && ep.Has(probe.CodeTLSHandshake):
		return mk(discovery.CodeMismatchSecurity, "", string(sv.Security),
			fmt.Sprintf("the live check could not start TLS on %s: %s", where, clipLong(detailOf(ep, probe.CodeTLSHandshake))))
	}
	return discovery.Problem{}, false
}

// detailOf is the detail of an endpoint's first problem with code.
func detailOf(ep *probe.EndpointReport, code string) string {
	for _, p := range ep.Problems {
		if p.Code == code {
			return p.Detail
		}
	}
	return ""
}
