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
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc, p := req.Loc, req.Parsed
		acct := accountFor(d.Directory, p)
		client, ok := knowledge.ClientByID(p.Client)
		if !ok {
			return whichDevice(loc, p, acct), nil
		}
		var r *bot.Reply
		if client.HasGuide() {
			r = guideReply(loc, client, acct)
		} else {
			r = cardReply(loc, client, acct)
		}
		r.Notes = append(r.Notes, acct.notes(loc, p)...)
		r.Links = acct.links(loc)
		r.Actions = acct.checkAction(loc)
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
	}
	for _, s := range g.Steps {
		step := bot.Step{Text: loc.Text(s.Text, data)}
		for _, f := range s.Fields {
			field := bot.Field{Label: loc.Text(f.Label, nil)}
			switch {
			case f.Value != knowledge.ValueNone:
				field.Value = acct.value(loc, g, f.Value)
			case f.Fixed != "":
				field.Value = loc.Text(f.Fixed, nil)
			}
			if f.Hint != "" {
				field.Hint = loc.Text(f.Hint, nil)
			}
			step.Fields = append(step.Fields, field)
		}
		r.Steps = append(r.Steps, step)
	}
	r.Settings = acct.settingGroups(loc)
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
		target = acct.addr.Username()
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
