package slackbot

import (
	"context"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// defaultResumeEvery is Options.ResumeEvery's default.
const defaultResumeEvery = 2 * time.Second

// resumable reports whether a slow answer can be given by another
// replica should this one die: a live check answering an event in a
// channel, whose "checking…" message it replaces. A command's and a
// button's go to a response_url, ephemeral ones cannot be replaced by
// the bot, and discovery is an admin's, asked again.
func resumable(plan *bot.Plan, conv conversation) bool {
	in := plan.Intent()
	return (in == bot.IntentCheck || in == bot.IntentTroubleshoot) && plan.Target() != "" &&
		conv.responseURL == "" && !conv.ephemeral && conv.replaceTS != ""
}

// resumeOrphans asks the Journal every Options.ResumeEvery for the
// answers of replicas that died while giving them, and gives them,
// until ctx is done.
func (a *Adapter) resumeOrphans(ctx context.Context) {
	every := a.opts.ResumeEvery
	if every <= 0 {
		every = defaultResumeEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, u := range a.opts.Journal.Orphans(ctx, "slack") {
			a.opts.Logger.Info("slack: taking over a check whose replica stopped", "channel", u.Channel)
			a.work.Go(func(ctx context.Context) { a.resume(ctx, u) })
		}
	}
}

// resume gives the answer u stands for, in place of its "checking…"
// message, as a button's check would.
func (a *Adapter) resume(ctx context.Context, u bot.Unfinished) {
	form := u.Form
	if form.Intent != bot.IntentCheck && form.Intent != bot.IntentTroubleshoot {
		return
	}
	conv := conversation{channel: u.Channel, threadTS: u.Thread, replaceTS: u.Message, user: u.User}
	req := &bot.Request{Platform: "slack", UserID: u.User, ForceLang: u.Lang, Form: &form, Conversation: conv.id()}
	a.answer(ctx, req, Question{Target: form.Target, Symptom: form.Symptom}, conv)
}
