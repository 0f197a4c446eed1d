package handlers

import (
	"context"

	"github.com/mailhelp/mailhelp/bot"
)

// Unknown answers text mailhelp did not understand, in the user's
// language, with phrases that work. It does not repeat the text back.
func Unknown(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc := req.Loc
		return &bot.Reply{
			Title: loc.Text("unknown.title", nil),
			Intro: loc.Text("unknown.intro", nil),
			// The question may be in a language mailhelp does not speak:
			// say which ones it does.
			Notes:   []bot.Note{{Severity: bot.SeverityTip, Text: loc.Text("help.note.languages", map[string]any{"Languages": languageNames(d.Translator)})}},
			Actions: examples(loc, d.Directory, ""),
		}, nil
	})
}
