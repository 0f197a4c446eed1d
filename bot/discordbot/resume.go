package discordbot

import (
	"context"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
)

// defaultResumeEvery is Options.ResumeEvery's default.
const defaultResumeEvery = 2 * time.Second

// finishSlow answers a slow plan in place of its "checking…" message
// (msgID in channel). A message's check is recorded in the Journal while
// it runs (under delivery, its claim), so that another replica finishes
// it should this one die; orphan is set when this replica is that
// other one.
func (a *Adapter) finishSlow(ctx context.Context, plan *bot.Plan, q question, channel, msgID, user, delivery string, orphan *bot.Orphan) {
	end := func(bool) {}
	switch {
	case orphan != nil:
		end = orphan.End
	case a.opts.Journal != nil && delivery != "" && plan.Resumable():
		end = a.opts.Journal.Begin(ctx, bot.Unfinished{Platform: "discord", Delivery: delivery, Channel: channel,
			Message: msgID, User: user, Lang: plan.Lang(), Form: plan.Form()})
	}
	embeds, comps := a.answer(ctx, plan, q, msgID)
	empty := ""
	_, err := a.rest.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: msgID, Channel: channel,
		Content: &empty, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions},
		discordgo.WithContext(ctx))
	if err != nil {
		a.opts.Logger.Error("discord: edit", "channel", channel, "err", err)
	}
	// Out, or failed for a reason of Discord's: finished. Cut short by
	// shutdown before it was out: to be taken over.
	end(err == nil || ctx.Err() == nil)
}

// resumeOrphans asks the Journal every Options.ResumeEvery for the
// checks of replicas that died while giving them, and gives them, until
// ctx is done; it returns once those it started have returned.
func (a *Adapter) resumeOrphans(ctx context.Context) {
	every := a.opts.ResumeEvery
	if every <= 0 {
		every = defaultResumeEvery
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	bot.PollOrphans(ctx, a.opts.Journal, "discord", every, func(o bot.Orphan) {
		a.opts.Logger.Info("discord: taking over a check whose replica stopped", "channel", o.Channel)
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.resume(ctx, o)
		}()
	})
}

// resume gives the check o stands for, in place of its "checking…"
// message, as a button's check would — once bot.TakeOver has claimed
// its delivery here (a replica on the same shard may have taken the
// message over meanwhile).
func (a *Adapter) resume(ctx context.Context, o bot.Orphan) {
	done, ok := bot.TakeOver(ctx, a.seen, o)
	if !ok {
		return
	}
	defer func() { done(ctx.Err() == nil) }()
	defer func() { o.End(ctx.Err() == nil) }() // in case finishSlow did not
	form := o.Form
	q := question{form: &form}
	req := q.request(o.Lang, "")
	req.UserID, req.Conversation, req.Resumed = o.User, o.Channel, true
	plan := a.opts.Router.Plan(ctx, req)
	a.finishSlow(ctx, plan, q, o.Channel, o.Message, o.User, o.Delivery, &o)
}
