package slackbot

import (
	"context"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// defaultResumeEvery is Options.ResumeEvery's default.
const defaultResumeEvery = 2 * time.Second

// resumable reports whether a slow answer can be given by another
// replica should this one die: a live check (Plan.Resumable) answering
// an event (its delivery claimed) in a channel, whose "checking…"
// message it replaces. A command's and a button's go to a
// response_url, and ephemeral ones cannot be replaced by the bot.
func resumable(plan *bot.Plan, conv conversation) bool {
	return plan.Resumable() && conv.delivery != "" && conv.responseURL == "" && !conv.ephemeral && conv.replaceTS != ""
}

// resumeOrphans asks the Journal every Options.ResumeEvery for the
// checks of replicas that died while giving them, and gives them,
// until ctx is done.
func (a *Adapter) resumeOrphans(ctx context.Context) {
	every := a.opts.ResumeEvery
	if every <= 0 {
		every = defaultResumeEvery
	}
	bot.PollOrphans(ctx, a.opts.Journal, "slack", every, func(o bot.Orphan) {
		a.opts.Logger.Info("slack: taking over a check whose replica stopped", "channel", o.Channel)
		if !a.work.Go(func(ctx context.Context) { a.resume(ctx, o) }) {
			o.End(false) // stopping: another replica takes it
		}
	})
}

// resume gives the check o stands for, in place of its "checking…"
// message, as a button's check would — once bot.TakeOver has claimed
// its delivery here (Slack may have sent it again before it was
// acknowledged, and another replica answered it).
func (a *Adapter) resume(ctx context.Context, o bot.Orphan) {
	done, ok := bot.TakeOver(ctx, a.seen, o)
	if !ok {
		return
	}
	defer func() { done(ctx.Err() == nil) }()
	// Ended by answer when the check runs; ended here when it turned
	// out no check (the request refused).
	defer func() { o.End(ctx.Err() == nil) }()
	form := o.Form
	conv := conversation{channel: o.Channel, threadTS: o.Thread, replaceTS: o.Message, user: o.User,
		delivery: o.Delivery, orphan: &o}
	req := &bot.Request{Platform: "slack", UserID: o.User, ForceLang: o.Lang, Form: &form, Conversation: conv.id(),
		Resumed: true}
	a.answer(ctx, req, Question{Target: form.Target, Symptom: form.Symptom}, conv)
}
