package handlers

import (
	"context"
	"strings"

	"github.com/mailhelp/mailhelp/bot"
)

// Help answers "help" (and an empty message): what mailhelp does, with
// phrases to try.
func Help(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc := req.Loc
		return &bot.Reply{
			Title:   loc.Text("help.title", nil),
			Intro:   loc.Text("help.intro", nil),
			Notes:   []bot.Note{{Severity: bot.SeverityTip, Text: loc.Text("help.note.languages", map[string]any{"Languages": languageNames(d.Translator)})}},
			Actions: examples(loc, d.Directory, ""),
		}, nil
	})
}

// languageNames lists the languages mailhelp speaks, each named in
// itself: "English, Français, Deutsch".
func languageNames(tr bot.Translator) string {
	langs := tr.Languages()
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = tr.For(l).Text("lang.name", nil)
	}
	return strings.Join(names, ", ")
}
