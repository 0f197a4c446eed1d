package handlers

import (
	"fmt"
	"strings"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
)

// The messages of a discovery answer, by verdict, kind, status, field,
// comparison and problem code: spelt out, so that each is a message ID
// the locales' tests can find.
var (
	discoveryTitles = map[discovery.Verdict]string{discovery.VerdictOK: "discovery.title.ok",
		discovery.VerdictWarning: "discovery.title.warning", discovery.VerdictFail: "discovery.title.fail"}
	discoveryKinds = map[discovery.Kind]string{discovery.KindSRV: "discovery.kind.srv",
		discovery.KindAutoconfig: "discovery.kind.autoconfig", discovery.KindAutodiscover: "discovery.kind.autodiscover"}
	discoveryStatuses = map[discovery.Status]string{discovery.StatusOK: "discovery.status.ok",
		discovery.StatusMissing: "discovery.status.missing", discovery.StatusProblems: "discovery.status.problems",
		discovery.StatusFailed: "discovery.status.failed", discovery.StatusSkipped: "discovery.status.skipped"}
	discoveryFields = map[string]string{"imap": "discovery.field.imap", "smtp": "discovery.field.smtp",
		"document": "discovery.field.document"}
	discoveryAgainst = map[string]string{discovery.AgainstConfigured: "discovery.against.configured",
		discovery.AgainstLive: "discovery.against.live"}
	discoveryProblems = map[discovery.Code][2]string{
		discovery.CodeMissing:           {"discovery.problem.missing", "discovery.fix.missing"},
		discovery.CodeInvalid:           {"discovery.problem.invalid", "discovery.fix.invalid"},
		discovery.CodeMismatchHost:      {"discovery.problem.mismatch_host", "discovery.fix.mismatch_host"},
		discovery.CodeMismatchPort:      {"discovery.problem.mismatch_port", "discovery.fix.mismatch_port"},
		discovery.CodeMismatchSecurity:  {"discovery.problem.mismatch_security", "discovery.fix.mismatch_security"},
		discovery.CodeMismatchUsername:  {"discovery.problem.mismatch_username", "discovery.fix.mismatch_username"},
		discovery.CodeInsecureTransport: {"discovery.problem.insecure_transport", "discovery.fix.insecure_transport"},
		discovery.CodeFetchFailed:       {"discovery.problem.fetch_failed", "discovery.fix.fetch_failed"},
	}
)

// DiscoveryReply turns a discovery report into an answer: the verdict,
// one settings group per kind of source with each place clients look
// and what was found there, then each problem with its fix.
func DiscoveryReply(loc bot.Localizer, rep *discovery.Report) *bot.Reply {
	domain := knowledge.DisplayDomain(rep.Domain)
	data := map[string]any{"Domain": domain}
	r := &bot.Reply{
		Intent: bot.IntentDiscovery,
		Title:  loc.Text(discoveryTitles[rep.Verdict], data),
		Intro:  loc.Text("discovery.intro", data),
		About:  bot.About{Domain: domain},
	}
	if rep.Live != "" {
		r.Intro = loc.Text("discovery.intro_live", data)
	}
	for _, kind := range []discovery.Kind{discovery.KindSRV, discovery.KindAutoconfig, discovery.KindAutodiscover} {
		g := bot.SettingGroup{Title: loc.Text(discoveryKinds[kind], nil)}
		for _, s := range rep.Sources {
			if s.Kind != kind {
				continue
			}
			g.Fields = append(g.Fields, bot.Field{Label: shortWhere(s.Where), Value: loc.Text(discoveryStatuses[s.Status], nil)})
			for _, p := range s.Problems {
				r.Notes = append(r.Notes, problemNote(loc, rep, s, p))
			}
		}
		if len(g.Fields) > 0 {
			r.Settings = append(r.Settings, g)
		}
	}
	if rep.LiveError != "" {
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo,
			Text: loc.Text("discovery.note.no_live", data) + fmt.Sprintf(" (%s)", bot.Clip(rep.LiveError, 160))})
	}
	if rep.Verdict != discovery.VerdictOK {
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityTip, Text: loc.Text("discovery.note.records", data)})
	}
	return r
}

// problemNote says what is wrong with a source and how to fix it.
func problemNote(loc bot.Localizer, rep *discovery.Report, s discovery.Source, p discovery.Problem) bot.Note {
	data := map[string]any{
		"Where": shortWhere(s.Where), "Domain": knowledge.DisplayDomain(rep.Domain), "Want": p.Want, "Got": p.Got,
		"Field": loc.Text(discoveryFields[cmpOr(p.Field, "document")], nil), "Detail": p.Detail,
		"Against": loc.Text(discoveryAgainst[cmpOr(p.Against, discovery.AgainstConfigured)], nil),
	}
	sev := bot.SeverityError
	switch p.Code {
	case discovery.CodeMissing:
		sev = bot.SeverityInfo
	case discovery.CodeInsecureTransport:
		sev = bot.SeverityWarning
	}
	if s.Status == discovery.StatusSkipped {
		sev = bot.SeverityInfo
	}
	if p.Code == discovery.CodeMismatchSecurity || p.Code == discovery.CodeInsecureTransport {
		data["Want"], data["Got"] = discoverySecurity(loc, p.Want), discoverySecurity(loc, p.Got)
	}
	ids, ok := discoveryProblems[p.Code]
	if !ok {
		ids = discoveryProblems[discovery.CodeInvalid]
	}
	if p.Against == discovery.AgainstLive {
		// The server does not do what is published: the server, or the
		// configuration both follow, may be what is wrong.
		ids = [2]string{"discovery.problem.live_security", "discovery.fix.live"}
		if p.Code == discovery.CodeMismatchPort {
			ids[0] = "discovery.problem.live_port"
		}
	}
	text := loc.Text(ids[0], data) + " " + loc.Text(ids[1], data)
	if p.Detail != "" {
		text += fmt.Sprintf(" (%s)", bot.Clip(p.Detail, 160))
	}
	return bot.Note{Severity: sev, Text: text}
}

// discoverySecurity names a security mode as the answers do ("SSL/TLS",
// "STARTTLS", none); anything else is shown as published.
func discoverySecurity(loc bot.Localizer, s string) string {
	switch knowledge.Security(s) {
	case knowledge.ImplicitTLS, knowledge.StartTLS:
		return securityText(loc, knowledge.Security(s))
	case discovery.Plain:
		return loc.Text("discovery.security.plain", nil)
	}
	return s
}

// shortWhere is where a source is, for people: a URL without its query
// (the address asked about is the same for all), or a DNS name.
func shortWhere(where string) string {
	if i := strings.IndexByte(where, '?'); i >= 0 {
		return where[:i]
	}
	return where
}
