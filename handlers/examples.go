package handlers

import (
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// exampleAddress is an address at the first configured domain, so examples
// read like the user's own.
func exampleAddress(loc bot.Localizer, dir Directory) string {
	domain := "domaine.com"
	if ds := dir.Domains(); len(ds) > 0 {
		domain = knowledge.DisplayDomain(ds[0].Name)
	}
	return loc.Text("example.local_part", nil) + "@" + domain
}

// examples returns phrases to try, as follow-up actions; with only set,
// just that kind.
func examples(loc bot.Localizer, dir Directory, only bot.ActionKind) []bot.Action {
	addr := exampleAddress(loc, dir)
	host := ""
	if ds := dir.Domains(); len(ds) > 0 {
		host = ds[0].Host
	}
	all := []bot.Action{
		{Kind: bot.ActionConfigure, Label: loc.Text("example.configure", nil),
			Phrase: loc.Text("phrase.configure", map[string]any{"Client": "iPhone", "Target": addr})},
		{Kind: bot.ActionCheck, Label: loc.Text("example.check", nil),
			Phrase: loc.Text("phrase.check", map[string]any{"Target": addr}), Target: addr},
		{Kind: bot.ActionAsk, Label: loc.Text("example.ports", nil),
			Phrase: loc.Text("phrase.ports", nil)},
		{Kind: bot.ActionAsk, Label: loc.Text("example.clients", nil),
			Phrase: loc.Text("phrase.clients", nil)},
	}
	if host != "" {
		all = append(all, bot.Action{Kind: bot.ActionCheck, Label: loc.Text("example.check_host", nil),
			Phrase: loc.Text("phrase.check", map[string]any{"Target": host}), Target: host})
	}
	if only == "" {
		return all
	}
	var out []bot.Action
	for _, a := range all {
		if a.Kind == only {
			out = append(out, a)
		}
	}
	return out
}
