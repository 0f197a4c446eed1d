package handlers

import (
	"context"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// ChangeLine is one changed setting of a domain: which, from what, to what.
type ChangeLine struct {
	// Field is "host", "incoming", "outgoing", "webmail", "support" or
	// "language".
	Field, Old, New string
}

// changeLabels names each changed field for people.
var changeLabels = map[string]string{
	"host": "announce.field.host", "incoming": "settings.incoming", "outgoing": "settings.outgoing",
	"webmail": "link.webmail", "support": "announce.field.support", "language": "announce.field.language",
}

// PrepareChange prepares the announcement of a domain's changed settings
// in channel, for any of platform's admin users to confirm (those users
// get the returned preview privately). lang is the preview's language,
// and the card's unless the channel has languages of its own.
func (a *Announcements) PrepareChange(ctx context.Context, platform, channel string, d knowledge.Domain, changes []ChangeLine, lang string) (*bot.Announcement, *bot.Reply) {
	pol := a.Policy()
	loc := pol.Translator.For(lang)
	name := knowledge.DisplayDomain(d.Name)
	langs := pol.langsOf(channel, lang)
	cards := pol.cards(langs, func(l bot.Localizer, cardLang string) *bot.Reply {
		return changeCard(l, cardLang, d, changes, pol.PublicURL)
	})
	// Admins may read their messages later than a preview they asked for.
	ann := a.previews.Put(ctx, &bot.Announcement{Platform: platform, Channel: channel, Domain: name, Cards: cards},
		max(pol.expiry(), 24*time.Hour))
	card := cards[0]
	notes := card.Notes
	if n := pol.langsNote(loc, langs); n != "" {
		notes = append([]bot.Note{{Severity: bot.SeverityInfo, Text: n}}, notes...)
	}
	preview := &bot.Reply{Intent: bot.IntentAnnounce, Lang: lang,
		Title:    loc.Text("announce.change.preview", map[string]any{"Domain": name}),
		Intro:    card.Intro,
		Settings: card.Settings, Notes: notes, Links: card.Links, Announcement: ann}
	return ann, preview
}

// changeCard is the card of a domain's changed settings: what changed
// (old → new) first, then all its settings.
func changeCard(loc bot.Localizer, lang string, d knowledge.Domain, changes []ChangeLine, publicURL string) *bot.Reply {
	name := knowledge.DisplayDomain(d.Name)
	card := announceCard(loc, lang, d, publicURL)
	card.Title = loc.Text("announce.change.title", map[string]any{"Domain": name})
	card.Intro = loc.Text("announce.change.intro", map[string]any{"Domain": name})
	changed := bot.SettingGroup{Title: loc.Text("announce.change.group", nil)}
	for _, c := range changes {
		id, ok := changeLabels[c.Field]
		if !ok {
			continue
		}
		changed.Fields = append(changed.Fields, bot.Field{Label: loc.Text(id, nil),
			Value: loc.Text("announce.change.value", map[string]any{"Old": c.Old, "New": c.New})})
	}
	card.Settings = append([]bot.SettingGroup{changed}, card.Settings...)
	return card
}
