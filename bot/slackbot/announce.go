package slackbot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mailhelp/mailhelp/bot"
)

// Action ids of an announcement preview's buttons; the value is its id.
const (
	actionAnnouncePost   = "mailhelp_announce_post"
	actionAnnounceCancel = "mailhelp_announce_cancel"
)

// announce answers an announce request privately: the preview with Post
// and Cancel for an admin, the refusal for anyone else. Nothing reaches
// the channel before the admin confirms.
func (a *Adapter) announce(ctx context.Context, plan *bot.Plan, conv conversation) {
	reply := plan.Answer(ctx)
	msg := Render(reply, Question{}, bot.LangSwitch{})
	if reply.Announcement != nil && a.opts.Announcements != nil {
		msg = a.previewMessage(reply, reply.Announcement)
	}
	if err := a.private(ctx, conv, msg); err != nil {
		a.opts.Logger.Error("slack: announce preview", "channel", conv.channel, "err", err)
	}
}

// previewMessage is an announcement's preview with Post and Cancel.
func (a *Adapter) previewMessage(reply *bot.Reply, ann *bot.Announcement) Message {
	msg := Render(reply, Question{}, bot.LangSwitch{})
	loc := a.opts.Translator.For(reply.Lang)
	post := slack.NewButtonBlockElement(actionAnnouncePost, ann.ID,
		slack.NewTextBlockObject(slack.PlainTextType, loc.Text("announce.button.post", nil), false, false))
	post.Style = slack.StylePrimary
	cancel := slack.NewButtonBlockElement(actionAnnounceCancel, ann.ID,
		slack.NewTextBlockObject(slack.PlainTextType, loc.Text("announce.button.cancel", nil), false, false))
	msg.Blocks = append(msg.Blocks, slack.NewActionBlock("mailhelp_announce", post, cancel))
	return msg
}

// NotifyAdmins sends each user, in a direct message, the preview of an
// announcement they may post (a change announcement after a reload).
func (a *Adapter) NotifyAdmins(ctx context.Context, users []string, preview *bot.Reply, ann *bot.Announcement) error {
	msg := a.previewMessage(preview, ann)
	var errs []error
	for _, u := range users {
		if _, err := a.post(ctx, conversation{channel: u}, msg); err != nil {
			errs = append(errs, fmt.Errorf("slack: notify %s: %w", u, err))
		}
	}
	return errors.Join(errs...)
}

// private shows msg to conv's user only: through response_url, in the DM,
// or as an ephemeral message in the channel.
func (a *Adapter) private(ctx context.Context, conv conversation, msg Message) error {
	if conv.responseURL != "" {
		conv.ephemeral = true
		_, err := a.post(ctx, conv, msg)
		return err
	}
	if strings.HasPrefix(conv.channel, "D") {
		_, err := a.post(ctx, conv, msg)
		return err
	}
	return a.retry(ctx, conv.channel, func() error {
		_, err := a.api.PostEphemeralContext(ctx, conv.channel, conv.user,
			slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...))
		return err
	})
}

// announceAction runs Post or Cancel through the core's flow, then
// replaces the preview with what happened.
func (a *Adapter) announceAction(ctx context.Context, cb slack.InteractionCallback, actionID, id string) {
	if a.opts.Announcements == nil {
		return
	}
	loc := a.opts.Translator.For(a.opts.Translator.Languages().Pick(a.locale(ctx, cb.User.ID)))
	verb := bot.AnnouncePost
	if actionID == actionAnnounceCancel {
		verb = bot.AnnounceCancel
	}
	out := bot.AnnounceAction(ctx, a.opts.Announcements, verb, id, "slack", cb.User.ID, func(channel string, card *bot.Reply) error {
		return a.PostReply(ctx, channel, card)
	}, slackReason)
	text := EscapeMrkdwn(loc.Text(out.MsgID, out.Data))
	// The answer replaces the preview through its response_url (a set
	// replaceTS asks post for replace_original).
	conv := conversation{channel: cb.Channel.ID, user: cb.User.ID, responseURL: cb.ResponseURL,
		ephemeral: true, replaceTS: "preview"}
	if _, err := a.post(ctx, conv, Message{Text: text, Blocks: []slack.Block{prose(text)}}); err != nil {
		a.opts.Logger.Error("slack: announce answer", "err", err)
	}
}

// slackReason is Slack's error code ("channel_not_found",
// "not_in_channel"), which tells the admin what to fix.
func slackReason(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return err.Error()
}

// PostReply posts a reply as a Block Kit message in channel, paced and
// retried like every post (the CLI's announcements use it).
func (a *Adapter) PostReply(ctx context.Context, channel string, r *bot.Reply) error {
	_, err := a.post(ctx, conversation{channel: channel}, Render(r, Question{}, bot.LangSwitch{}))
	return err
}

// TellAdmins sends each user a plain direct message (a refused reload).
func (a *Adapter) TellAdmins(ctx context.Context, users []string, text string) error {
	msg := Message{Text: EscapeMrkdwn(text), Blocks: []slack.Block{prose(":warning: " + EscapeMrkdwn(text))}}
	var errs []error
	for _, u := range users {
		if _, err := a.post(ctx, conversation{channel: u}, msg); err != nil {
			errs = append(errs, fmt.Errorf("slack: tell %s: %w", u, err))
		}
	}
	return errors.Join(errs...)
}
