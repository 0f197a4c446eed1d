package handlers

import (
	"context"
	"slices"
	"strconv"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// portHints explains each port of the policy.
var portHints = map[knowledge.Protocol]map[int]string{
	knowledge.IMAP: {993: "ports.hint.imap_993", 143: "ports.hint.imap_143"},
	knowledge.SMTP: {587: "ports.hint.smtp_587", 465: "ports.hint.smtp_465", 25: "ports.hint.smtp_25"},
}

// Ports answers questions on ports, security and sending: the policy of
// the side asked about, the user's own settings when an address or a
// configured host is given, and what port 25 can and cannot do.
func Ports(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc, p := req.Loc, req.Parsed
		acct := accountFor(d.Directory, p)
		protos := []knowledge.Protocol{knowledge.IMAP, knowledge.SMTP}
		titleID := "ports.title"
		switch p.Direction {
		case bot.DirectionIncoming:
			protos, titleID = protos[:1], "ports.title.incoming"
		case bot.DirectionOutgoing:
			protos, titleID = protos[1:], "ports.title.outgoing"
		}
		r := &bot.Reply{Title: loc.Text(titleID, nil), Intro: loc.Text("ports.intro", nil)}
		if acct.known || !acct.addr.IsZero() {
			for _, proto := range protos {
				g := acct.group(loc, proto)
				g.Title = loc.Text("ports.yours", map[string]any{"Group": g.Title, "Address": acct.subject(loc)})
				r.Settings = append(r.Settings, g)
			}
		}
		for _, proto := range protos {
			r.Settings = append(r.Settings, policyGroup(loc, proto))
		}
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo, Text: loc.Text("note.username_full", nil)})
		if slices.Contains(p.Ports, 25) || p.Direction == bot.DirectionOutgoing {
			r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityWarning, Text: loc.Text("ports.note.port25", nil)})
		}
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo, Text: loc.Text("note.ports_vary", nil)})
		r.Notes = append(r.Notes, acct.notes(loc, p)...)
		r.Links = acct.links(loc)
		r.Actions = acct.checkAction(loc)
		r.About = acct.about("", "")
		return r, nil
	})
}

// policyGroup lists a protocol's ports, the recommended one first.
func policyGroup(loc bot.Localizer, proto knowledge.Protocol) bot.SettingGroup {
	g := bot.SettingGroup{Title: loc.Text("ports.policy.imap", nil)}
	if proto == knowledge.SMTP {
		g.Title = loc.Text("ports.policy.smtp", nil)
	}
	for _, rule := range knowledge.Ports() {
		if rule.Protocol != proto {
			continue
		}
		value := securityText(loc, rule.Security)
		if rule.AuthRequired && proto == knowledge.SMTP {
			value = loc.Text("ports.with_auth", map[string]any{"Security": value})
		}
		if rule.Recommended {
			value = loc.Text("ports.recommended", map[string]any{"Value": value})
		}
		g.Fields = append(g.Fields, bot.Field{
			Label: loc.Text("ports.port", map[string]any{"Port": strconv.Itoa(rule.Port)}),
			Value: value,
			Hint:  loc.Text(portHints[proto][rule.Port], nil),
		})
	}
	return g
}
