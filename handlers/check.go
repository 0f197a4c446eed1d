package handlers

import (
	"context"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Check answers "check <address or host>". This build has no live probe,
// so it says so plainly and lists what to verify by hand; it never
// pretends to have tested anything.
func Check(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc, p := req.Loc, req.Parsed
		if p.Address.IsZero() && p.Host == "" {
			return &bot.Reply{
				Title:   loc.Text("check.what.title", nil),
				Intro:   loc.Text("check.what.intro", nil),
				Actions: examples(loc, d.Directory, bot.ActionCheck),
			}, nil
		}
		acct := accountFor(d.Directory, p)
		target := p.Host
		if !p.Address.IsZero() {
			target = p.Address.Username()
		}
		host := p.Host
		if acct.known {
			host = acct.domain.Incoming().Host
		} else if host == "" {
			host = loc.Text("placeholder.host", nil)
		}
		in, _ := acct.endpoint(knowledge.IMAP)
		out, _ := acct.endpoint(knowledge.SMTP)
		data := map[string]any{
			"Target": target, "Host": host, "Webmail": "https://" + host,
			"InPort": in.Port, "InSecurity": securityText(loc, in.Security),
			"OutPort": out.Port, "OutSecurity": securityText(loc, out.Security),
			"Username": acct.username(loc),
		}
		if acct.known {
			data["Webmail"] = acct.domain.WebmailURL()
			data["OutHost"] = acct.domain.Outgoing().Host
		} else {
			data["OutHost"] = host
		}
		r := &bot.Reply{
			Title: loc.Text("check.title", data),
			Intro: loc.Text("check.unavailable", nil),
			Steps: []bot.Step{
				{Text: loc.Text("check.step.webmail", data)},
				{Text: loc.Text("check.step.incoming", data)},
				{Text: loc.Text("check.step.outgoing", data)},
				{Text: loc.Text("check.step.username", data)},
				{Text: loc.Text("check.step.certificate", nil)},
			},
			Settings: acct.settingGroups(loc),
			Notes:    []bot.Note{{Severity: bot.SeverityWarning, Text: loc.Text("check.note.not_run", nil)}},
			Links:    acct.links(loc),
		}
		if p.Address.IsZero() && !acct.known {
			r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityWarning,
				Text: loc.Text("note.unknown_host", map[string]any{"Host": p.Host})})
		}
		r.Notes = append(r.Notes, acct.notes(loc, p)...)
		r.About = acct.about("", p.Host)
		return r, nil
	})
}
