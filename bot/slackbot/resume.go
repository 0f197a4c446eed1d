package slackbot

import (
	"context"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// defaultResumeEvery is Options.ResumeEvery's default.
const defaultResumeEvery = 2 * time.Second

// resumable reports whether a slow answer can be given by another
// replica should this one die: a live check answering an event (its
// delivery claimed) in a channel, whose "checking…" message it
// replaces. A command's and a button's go to a response_url, ephemeral
// ones cannot be replaced by the bot, and discovery is an admin's,
// asked again.
func resumable(plan *bot.Plan, conv conversation) bool {
	in := plan.Intent()
	return (in == bot.IntentCheck || in == bot.IntentTroubleshoot) && plan.Target() != "" &&
		conv.delivery != "" && conv.responseURL == "" && !conv.ephemeral && conv.replaceTS != ""
}

// resumeOrphans asks the Journal every Options.ResumeEvery for the
// checks of replicas that died while giving them, and gives them,
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
		for _, o := range a.opts.Journal.Orphans(ctx, "slack") {
			a.opts.Logger.Info("slack: taking over a check whose replica stopped", "channel", o.Channel)
			if !a.work.Go(func(ctx context.Context) { a.resume(ctx, o) }) {
				o.End(false) // stopping: another replica takes it
			}
		}
	}
}

// resume gives the check o stands for, in place of its "checking…"
// message, as a button's check would — once its delivery is claimed
// here: one answered meanwhile (Slack sent it again before it was
// acknowledged) is dropped, one being answered is left for later.
func (a *Adapter) resume(ctx context.Context, o bot.Orphan) {
	form := o.Form
	if form.Intent != bot.IntentCheck && form.Intent != bot.IntentTroubleshoot || o.Delivery == "" {
		o.End(true)
		return
	}
	done, st := a.seen.Claim(ctx, o.Delivery)
	switch st {
	case bot.Handled:
		o.End(true)
		return
	case bot.Busy:
		o.End(false)
		return
	}
	defer func() { done(ctx.Err() == nil) }()
	// Ended by answer when the check runs; ended here when it turned
	// out no check (the request refused).
	defer func() { o.End(ctx.Err() == nil) }()
	conv := conversation{channel: o.Channel, threadTS: o.Thread, replaceTS: o.Message, user: o.User,
		delivery: o.Delivery, orphan: &o}
	req := &bot.Request{Platform: "slack", UserID: o.User, ForceLang: o.Lang, Form: &form, Conversation: conv.id(),
		Resumed: true}
	a.answer(ctx, req, Question{Target: form.Target, Symptom: form.Symptom}, conv)
}
