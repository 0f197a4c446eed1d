package handlers

import (
	"context"

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
			Notes:   []bot.Note{{Severity: bot.SeverityTip, Text: loc.Text("help.note.languages", nil)}},
			Actions: examples(loc, d.Directory, ""),
		}, nil
	})
}
