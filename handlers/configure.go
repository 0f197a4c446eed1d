package handlers

import (
	"context"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Configure answers "configure <client> for <address>": the client's
// step-by-step guide when it has one, its settings card otherwise, and a
// question back when the client is missing.
func Configure(d Deps) bot.Handler {
	guides := newGuides(maxGuides)
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc, p := req.Loc, req.Parsed
		acct := accountFor(d.Directory, p)
		client, ok := knowledge.ClientByID(p.Client)
		if !ok {
			return whichDevice(loc, p, acct), nil
		}
		if len(client.Variants) > 0 {
			return whichVariant(loc, p, client, acct), nil
		}
		r := guides.reply(loc, client, acct)
		r.Notes = append(r.Notes, acct.notes(loc, p)...)
		r.Links = acct.links(loc)
		// Offer the check only when it can run: live checks on and the
		// domain configured (no button that would be refused).
		if d.Prober != nil && acct.known {
			r.Actions = acct.checkAction(loc)
		}
		r.About = acct.about(client.ID, "")
		return r, nil
	})
}

// guideReply is a client's guide filled with the account's settings.
func guideReply(loc bot.Localizer, c knowledge.Client, acct account) *bot.Reply {
	g := c.Guide
	data := map[string]any{"Client": c.Name, "Address": acct.subject(loc)}
	r := &bot.Reply{
		Title: loc.Text("configure.guide.title", data),
		Intro: loc.Plural("configure.guide.intro", len(g.Steps), data),
		Steps: make([]bot.Step, len(g.Steps)),
	}
	// The steps' fields share one array: one allocation, not one per step.
	nfields := 0
	for _, s := range g.Steps {
		nfields += len(s.Fields)
	}
	fields := make([]bot.Field, nfields)
	for i, s := range g.Steps {
		step := bot.Step{Text: loc.Text(s.Text, data)}
		if len(s.Fields) > 0 {
			step.Fields = fields[:len(s.Fields):len(s.Fields)]
			fields = fields[len(s.Fields):]
			for j, f := range s.Fields {
				step.Fields[j] = acct.field(loc, g, f)
			}
		}
		r.Steps[i] = step
	}
	r.Settings = acct.settingGroups(loc)
	// Room for the notes Configure adds: alternatives, self-configuration,
	// the account's own.
	r.Notes = make([]bot.Note, 0, len(g.Notes)+6)
	for _, n := range g.Notes {
		r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo, Text: loc.Text(n, data)})
	}
	r.Notes = append(r.Notes, bot.Note{Severity: bot.SeverityInfo, Text: loc.Text("note.ports_vary", nil)})
	return r
}

// cardReply is the generic settings card, honestly labelled as such.
func cardReply(loc bot.Localizer, c knowledge.Client, acct account) *bot.Reply {
	data := map[string]any{"Client": c.Name, "Address": acct.subject(loc)}
	return &bot.Reply{
		Title:    loc.Text("configure.card.title", data),
		Intro:    loc.Text("configure.card.intro", data),
		Settings: acct.settingGroups(loc),
		Notes:    []bot.Note{{Severity: bot.SeverityInfo, Text: loc.Text("note.ports_vary", nil)}},
	}
}

// whichDevice asks which client to set up, with the settings card so far
// and one follow-up per known client.
func whichDevice(loc bot.Localizer, p bot.Parsed, acct account) *bot.Reply {
	r := &bot.Reply{
		Title: loc.Text("configure.which.title", nil),
		Intro: loc.Text("configure.which.intro", nil),
	}
	target := acct.subject(loc)
	if !acct.addr.IsZero() {
		target = acct.login
		r.Settings = acct.settingGroups(loc)
	}
	for _, c := range knowledge.Clients() {
		r.Actions = append(r.Actions, bot.Action{
			Kind:   bot.ActionConfigure,
			Label:  c.Name,
			Phrase: loc.Text("phrase.configure", map[string]any{"Client": c.Name, "Target": target}),
		})
	}
	r.Notes = acct.notes(loc, p)
	r.Links = acct.links(loc)
	r.About = acct.about("", "")
	return r
}

// whichVariant asks which of a name's apps the person uses ("Outlook":
// the new one for Windows, the classic one, or the mobile app), with
// the settings so far and one follow-up per app.
func whichVariant(loc bot.Localizer, p bot.Parsed, c knowledge.Client, acct account) *bot.Reply {
	data := map[string]any{"Client": c.Name}
	r := &bot.Reply{Title: loc.Text("configure.variant.title", data), Intro: loc.Text("configure.variant.intro", data),
		Settings: acct.settingGroups(loc)}
	target := acct.subject(loc)
	if !acct.addr.IsZero() {
		target = acct.login
	}
	for _, id := range c.Variants {
		if v, ok := knowledge.ClientByID(id); ok {
			r.Actions = append(r.Actions, bot.Action{Kind: bot.ActionConfigure, Label: v.Name,
				Phrase: loc.Text("phrase.configure", map[string]any{"Client": v.Name, "Target": target})})
		}
	}
	r.Notes = acct.notes(loc, p)
	r.Links = acct.links(loc)
	r.About = acct.about(c.ID, "")
	return r
}

// alternativesNote says what to use when the recommended ports are
// blocked: the other IMAP and SMTP ports, and why not 25.
func alternativesNote(loc bot.Localizer, acct account) bot.Note {
	in, _ := acct.endpoint(knowledge.IMAP)
	out, _ := acct.endpoint(knowledge.SMTP)
	inAlt := knowledge.Alternative(knowledge.IMAP, in)
	outAlt := knowledge.Alternative(knowledge.SMTP, out)
	return bot.Note{Severity: bot.SeverityTip, Text: loc.Text("configure.note.alternatives", map[string]any{
		"InPort": in.Port, "InAlt": inAlt.Port, "InAltSecurity": securityText(loc, inAlt.Security),
		"OutPort": out.Port, "OutAlt": outAlt.Port, "OutAltSecurity": securityText(loc, outAlt.Security),
	})}
}

// selfConfigNote says how the client can set the account up by itself:
// from the domain's autoconfig or Autodiscover once the administrator
// publishes them. (The profile of iPhone, iPad and Mac is a link the
// router adds where there is a web side to serve it: bot.ProfileLink.)
func selfConfigNote(loc bot.Localizer, c knowledge.Client, acct account) (bot.Note, bool) {
	if c.SelfConfig != knowledge.SelfConfigAutoconfig && c.SelfConfig != knowledge.SelfConfigAutodiscover {
		return bot.Note{}, false
	}
	data := map[string]any{"Client": c.Name, "Domain": loc.Text("placeholder.domain", nil)}
	if acct.known {
		data["Domain"] = knowledge.DisplayDomain(acct.domain.Name)
	}
	switch c.SelfConfig {
	case knowledge.SelfConfigAutoconfig:
		return bot.Note{Severity: bot.SeverityTip, Text: loc.Text("configure.note.autoconfig", data)}, true
	case knowledge.SelfConfigAutodiscover:
		return bot.Note{Severity: bot.SeverityTip, Text: loc.Text("configure.note.autodiscover", data)}, true
	}
	return bot.Note{}, false
}
