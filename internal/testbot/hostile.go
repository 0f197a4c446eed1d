package testbot

import (
	"context"
	"time"

	"github.com/mailhelp/mailhelp/probe"
)

// HostileProber reports a server whose banner and certificate fields are
// Text (a platform's mentions, links and markup), with the problems that
// put them in the answer: the names of a mismatched certificate, the
// date of one not yet valid.
type HostileProber struct {
	// Text is what the hostile server puts in every field it controls.
	Text string
}

// Check implements bot.Prober.
func (h HostileProber) Check(ctx context.Context, t probe.Target, c *probe.Credentials) (*probe.Report, error) {
	x := h.Text
	cert := &probe.CertInfo{Subject: x, Issuer: x, SANs: []string{x, "*bold*.example"}, Error: x,
		NotAfter: time.Now().Add(24 * time.Hour), DaysLeft: 1}
	in := probe.Endpoint{Protocol: probe.IMAP, Port: 993, Security: probe.ImplicitTLS}
	out := probe.Endpoint{Protocol: probe.SMTP, Port: 587, Security: probe.StartTLS, Submission: true}
	return &probe.Report{Host: t.Host, Verdict: probe.StatusFail, Endpoints: []probe.EndpointReport{
		{Endpoint: in, Status: probe.StatusFail, Banner: x, TLS: &probe.TLSInfo{Version: "TLS 1.3", Cipher: x, Cert: cert},
			Capabilities: []string{x}, AuthMechanisms: []string{x},
			Problems: []probe.Problem{
				{Code: probe.CodeCertHostname, Severity: probe.SeverityFail, Detail: x},
				{Code: probe.CodeCertNotYetValid, Severity: probe.SeverityFail, Detail: "valid only from " + x},
			}},
		{Endpoint: out, Status: probe.StatusFail, Banner: x, TLS: &probe.TLSInfo{Version: "TLS 1.2", Cipher: x, Cert: cert},
			Problems: []probe.Problem{{Code: probe.CodeCertHostname, Severity: probe.SeverityFail, Detail: x}}},
	}}, nil
}
