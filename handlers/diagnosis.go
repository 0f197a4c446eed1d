package handlers

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/probe"
)

// maxDiagnoses bounds the explanations one answer gives: the first ones
// are the most serious, and a person reads three, not ten.
const maxDiagnoses = 3

// found is one problem code on one side of a report, with the ports it
// concerns and the first endpoint that has it.
type found struct {
	code  string
	ports []string
	first probe.EndpointReport
}

// configured are the ports the answer tells devices to use, by protocol:
// a problem on another port, while the configured one works, is not what
// the person meets.
type configured map[probe.Protocol]int

// configuredPorts are the account's ports (the domain's, else the
// recommended ones).
func configuredPorts(acct account) configured {
	in, _ := acct.endpoint(knowledge.IMAP)
	out, _ := acct.endpoint(knowledge.SMTP)
	return configured{probe.IMAP: in.Port, probe.SMTP: out.Port}
}

// diagnose explains a live check's report in terms of a symptom: each
// problem of the symptom's side that the table has a row for, most
// serious first, else the row for a side where nothing is wrong.
func diagnose(loc bot.Localizer, s knowledge.Symptom, rep *probe.Report, ports configured) []bot.Note {
	rows := knowledge.Diagnoses(s)
	if len(rows) == 0 {
		return nil
	}
	side := rows[0].Side
	var notes []bot.Note
	for _, f := range problemsOn(rep, side, ports) {
		row, ok := knowledge.DiagnosisFor(s, f.code)
		if !ok {
			continue
		}
		n := diagnosisNote(loc, row, rep, f)
		if slices.Contains(notes, n) {
			continue // two problems with one explanation ("nothing works")
		}
		notes = append(notes, n)
		if len(notes) == maxDiagnoses {
			break
		}
	}
	if len(notes) > 0 {
		return notes
	}
	problem := knowledge.ProblemOK
	if in := rep.Recommended.Incoming; s == knowledge.SymptomNotSyncing && in != nil && !rep.Recommended.Push {
		problem = knowledge.ProblemNoPush
	}
	if row, ok := knowledge.DiagnosisFor(s, problem); ok && working(rep, side, nil) != nil {
		return []bot.Note{diagnosisNote(loc, row, rep, found{code: problem})}
	}
	return nil
}

// diagnosisNote writes one row for one problem.
func diagnosisNote(loc bot.Localizer, row knowledge.Diagnosis, rep *probe.Report, f found) bot.Note {
	data := map[string]any{"Host": rep.Host, "Ports": strings.Join(f.ports, ", ")}
	if e := f.first; e.Host != "" {
		data["Host"] = e.Host
	}
	if c := f.first.TLS; c != nil && c.Cert != nil {
		data["Date"] = c.Cert.NotAfter.Format(time.DateOnly)
		data["Names"] = strings.Join(c.Cert.SANs, ", ")
	}
	for _, p := range f.first.Problems {
		if p.Code == probe.CodeCertNotYetValid && p.Code == f.code {
			data["Date"] = strings.TrimPrefix(p.Detail, "valid only from ")
		}
	}
	text, sev := row.Text, bot.SeverityError
	if f.code == knowledge.ProblemOK || f.code == knowledge.ProblemNoPush {
		sev = bot.SeverityInfo
	}
	if w := working(rep, row.Side, &f.first.Endpoint); w != nil {
		data["Port"], data["Security"] = w.Port, securityText(loc, knowledge.Security(w.Security))
	} else if row.NoAlternative != "" {
		// The text says the alternative fails too: name the port the
		// device is told to use.
		text = row.NoAlternative
		if len(f.ports) > 0 {
			data["Ports"] = f.ports[0]
		}
	}
	return bot.Note{Severity: sev, Text: loc.Text(text, data)}
}

// problemsOn groups a report's failing and warning problems on one side,
// most serious first, in the report's order otherwise. Problems of a
// port other than the configured one are left out when its protocol has
// a working endpoint: devices do not use it.
func problemsOn(rep *probe.Report, side knowledge.Side, ports configured) []found {
	var out []found
	index := map[string]int{}
	for _, sev := range []probe.Severity{probe.SeverityFail, probe.SeverityWarn} {
		for _, e := range rep.Endpoints {
			if !onSide(e.Endpoint, side) {
				continue
			}
			if e.Port != ports[e.Protocol] && working(rep, side, &e.Endpoint) != nil {
				continue
			}
			for _, p := range e.Problems {
				if p.Severity != sev {
					continue
				}
				i, ok := index[p.Code]
				if !ok {
					i = len(out)
					index[p.Code] = i
					out = append(out, found{code: p.Code, first: e})
				}
				if port := strconv.Itoa(e.Port); !contains(out[i].ports, port) {
					out[i].ports = append(out[i].ports, port)
				}
			}
		}
	}
	return out
}

// onSide reports whether an endpoint belongs to a side: the incoming
// side is IMAP, the outgoing side SMTP submission (587, 465; port 25 is
// not for devices).
func onSide(e probe.Endpoint, side knowledge.Side) bool {
	switch side {
	case knowledge.SideIncoming:
		return e.Protocol == probe.IMAP
	case knowledge.SideOutgoing:
		return e.Protocol == probe.SMTP && e.Submission
	}
	return e.Protocol == probe.IMAP || e.Submission
}

// working is what works on a side, from the report's recommendation.
// On any side it is the alternative of the problem endpoint's protocol
// (near, when known), or, with no endpoint, the incoming one when both
// sides work.
func working(rep *probe.Report, side knowledge.Side, near *probe.Endpoint) *probe.Endpoint {
	in, out := rep.Recommended.Incoming, rep.Recommended.Outgoing
	switch {
	case side == knowledge.SideIncoming:
		return in
	case side == knowledge.SideOutgoing:
		return out
	case near != nil && near.Protocol == probe.IMAP:
		return in
	case near != nil && near.Protocol == probe.SMTP:
		return out
	case in != nil && out != nil:
		return in
	}
	return nil
}
