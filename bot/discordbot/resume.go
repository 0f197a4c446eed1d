package discordbot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
)

// defaultResumeEvery is Options.ResumeEvery's default.
const defaultResumeEvery = 2 * time.Second

// finishSlow answers a slow plan in place of its "checking…" message
// (msgID in channel), recorded in the Journal while it runs so that
// another replica finishes it should this one die.
func (a *Adapter) finishSlow(ctx context.Context, plan *bot.Plan, q question, channel, msgID, user string) {
	if a.opts.Journal != nil && resumable(plan) {
		end := a.opts.Journal.Begin(ctx, bot.Unfinished{Platform: "discord", Channel: channel, Message: msgID,
			User: user, Lang: plan.Lang(), Form: bot.Form{Intent: plan.Intent(), Target: plan.Target(),
				Symptom: string(plan.Request.Parsed.Symptom)}})
		// Cut short (shutdown), it is left to be taken over.
		defer func() { end(ctx.Err() == nil) }()
	}
	embeds, comps := a.answer(ctx, plan, q, msgID)
	empty := ""
	if _, err := a.rest.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: msgID, Channel: channel,
		Content: &empty, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions},
		discordgo.WithContext(ctx)); err != nil {
		a.opts.Logger.Error("discord: edit", "channel", channel, "err", err)
	}
}

// resumable reports whether another replica can give a slow answer:
// a live check with its target (discovery is an admin's, asked again).
func resumable(plan *bot.Plan) bool {
	in := plan.Intent()
	return (in == bot.IntentCheck || in == bot.IntentTroubleshoot) && plan.Target() != ""
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
		for _, u := range a.opts.Journal.Orphans(ctx, "discord") {
			a.opts.Logger.Info("discord: taking over a check whose replica stopped", "channel", u.Channel)
			go a.resume(ctx, u)
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
	q := question{form: &form}
	req := q.request(u.Lang, "")
	req.UserID, req.Conversation = u.User, u.Channel
	plan := a.opts.Router.Plan(ctx, req)
	a.finishSlow(ctx, plan, q, u.Channel, u.Message, u.User)
}
