package discordbot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
)

// idAnnounce prefixes the preview's buttons: "post:" or "cancel:" + id.
const idAnnounce = "mh:ann:"

// manageGuild is Discord's Manage Server permission bit.
const manageGuild = discordgo.PermissionManageGuild

// interactionUser is who pressed or typed, in a guild or a DM.
func interactionUser(i *discordgo.Interaction) (id string, roles []string) {
	if i.Member != nil && i.Member.User != nil {
		roles = append(roles, i.Member.Roles...)
		if i.Member.Permissions&manageGuild != 0 {
			roles = append(roles, bot.RoleManageServer)
		}
		return i.Member.User.ID, roles
	}
	if i.User != nil {
		return i.User.ID, nil
	}
	return "", nil
}

// announce answers /mailhelp announce privately (ephemeral): the preview
// with Post and Cancel for an admin, the refusal for anyone else.
func (a *Adapter) announce(ctx context.Context, i *discordgo.Interaction, form bot.Form, channel string) {
	user, roles := interactionUser(i)
	reply := a.opts.Router.Serve(ctx, &bot.Request{Form: &form, Channel: channel, Platform: "discord",
		UserID: user, Roles: roles, LocaleHint: interactionLocale(i)})
	embeds, _ := Render(reply, "", nil, "")
	comps := []discordgo.MessageComponent{}
	if reply.Announcement != nil && a.opts.Announcements != nil {
		comps = a.previewButtons(reply.Lang, reply.Announcement)
	}
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Embeds: embeds, Components: comps,
			Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions}})
}

// previewButtons are an announcement preview's Post and Cancel.
func (a *Adapter) previewButtons(lang string, ann *bot.Announcement) []discordgo.MessageComponent {
	loc := a.opts.Translator.For(lang)
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: loc.Text("announce.button.post", nil), Style: discordgo.PrimaryButton, CustomID: idAnnounce + "post:" + ann.ID},
		discordgo.Button{Label: loc.Text("announce.button.cancel", nil), Style: discordgo.SecondaryButton, CustomID: idAnnounce + "cancel:" + ann.ID},
	}}}
}

// NotifyAdmins sends each user, in a direct message, the preview of an
// announcement they may post (a change announcement after a reload).
func (a *Adapter) NotifyAdmins(ctx context.Context, users []string, preview *bot.Reply, ann *bot.Announcement) error {
	embeds, _ := Render(preview, "", nil, "")
	comps := a.previewButtons(preview.Lang, ann)
	var errs []error
	for _, u := range users {
		ch, err := a.rest.UserChannelCreate(u, discordgo.WithContext(ctx))
		if err == nil {
			_, err = a.rest.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Embeds: embeds, Components: comps,
				AllowedMentions: noMentions}, discordgo.WithContext(ctx))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("discord: notify %s: %w", u, err))
		}
	}
	return errors.Join(errs...)
}

// announceAction runs Post or Cancel through the core's flow, then
// replaces the preview with what happened.
func (a *Adapter) announceAction(ctx context.Context, i *discordgo.Interaction, rest string) {
	if a.opts.Announcements == nil {
		return
	}
	user, _ := interactionUser(i)
	loc := a.opts.Translator.For(a.opts.Translator.Languages().Pick(interactionLocale(i)))
	verb, id, _ := strings.Cut(rest, ":")
	out := bot.AnnounceAction(ctx, a.opts.Announcements, bot.AnnounceVerb(verb), id, "discord", user,
		func(channel string, card *bot.Reply) error { return a.PostReply(ctx, channel, card) }, discordReason)
	a.send(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: EscapeMarkdown(loc.Text(out.MsgID, out.Data)),
			Embeds: []*discordgo.MessageEmbed{}, Components: []discordgo.MessageComponent{}, AllowedMentions: noMentions}})
}

// announceHint answers an announce request made in a message: Discord
// has no private reply to a message, so the admin is pointed to the
// command, whose preview only they see.
func (a *Adapter) announceHint(ctx context.Context, m *discordgo.Message, lang string) {
	text := a.opts.Translator.For(lang).Text("discord.announce_hint", nil)
	if _, err := a.rest.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
		Content: EscapeMarkdown(text), Reference: m.Reference(), AllowedMentions: noMentions}, discordgo.WithContext(ctx)); err != nil {
		a.opts.Logger.Error("discord: send", "channel", m.ChannelID, "err", err)
	}
}

// discordReason is Discord's message for a failed call ("Missing
// Access"), which tells the admin what to fix.
func discordReason(err error) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil && re.Message.Message != "" {
		return re.Message.Message
	}
	return err.Error()
}

// PostReply posts a reply as an embed in channel, with no mention parsed
// (the CLI's announcements use it).
func (a *Adapter) PostReply(ctx context.Context, channel string, r *bot.Reply) error {
	embeds, _ := Render(r, "", nil, "")
	_, err := a.rest.ChannelMessageSendComplex(channel, &discordgo.MessageSend{Embeds: embeds, AllowedMentions: noMentions},
		discordgo.WithContext(ctx))
	return err
}

// TellAdmins sends each user a plain direct message (a refused reload).
func (a *Adapter) TellAdmins(ctx context.Context, users []string, text string) error {
	var errs []error
	for _, u := range users {
		ch, err := a.rest.UserChannelCreate(u, discordgo.WithContext(ctx))
		if err == nil {
			_, err = a.rest.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Content: "⚠️ " + EscapeMarkdown(text),
				AllowedMentions: noMentions}, discordgo.WithContext(ctx))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("discord: tell %s: %w", u, err))
		}
	}
	return errors.Join(errs...)
}
