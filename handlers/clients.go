package handlers

import (
	"context"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Clients answers "which clients are supported?": every known client and
// whether it has a step-by-step guide or the settings card.
func Clients(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc := req.Loc
		addr := exampleAddress(loc, d.Directory)
		if !req.Parsed.Address.IsZero() {
			addr = req.Parsed.Address.Username()
		}
		g := bot.SettingGroup{Title: loc.Text("clients.group", nil)}
		var actions []bot.Action
		for _, c := range knowledge.Clients() {
			kind := loc.Text("clients.card", nil)
			if c.HasGuide() {
				kind = loc.Text("clients.guide", nil)
			}
			g.Fields = append(g.Fields, bot.Field{Label: c.Name, Value: kind})
			actions = append(actions, bot.Action{
				Kind:   bot.ActionConfigure,
				Label:  c.Name,
				Phrase: loc.Text("phrase.configure", map[string]any{"Client": c.Name, "Target": addr}),
			})
		}
		return &bot.Reply{
			Title:    loc.Text("clients.title", nil),
			Intro:    loc.Text("clients.intro", nil),
			Settings: []bot.SettingGroup{g},
			Notes:    []bot.Note{{Severity: bot.SeverityTip, Text: loc.Text("clients.note.other", nil)}},
			Actions:  actions,
		}, nil
	})
}
