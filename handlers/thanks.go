package handlers

import (
	"context"

	"github.com/mailhelp/mailhelp/bot"
)

// Thanks answers a thank-you with a short, polite reply and what else to
// ask.
func Thanks(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		return &bot.Reply{
			Title: req.Loc.Text("thanks.title", nil),
			Intro: req.Loc.Text("thanks.intro", nil),
		}, nil
	})
}
