package handlers

import (
	"context"
	"math"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Announce answers an admin's "announce domaine.com in #it-news" with a
// private preview of the domain's settings card, in the channel's
// language; nothing is posted until the admin confirms (see Announcer).
// Anyone else gets a polite refusal in their language.
func Announce(d Deps) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, req *bot.Request) (*bot.Reply, error) {
		loc, p := req.Loc, req.Parsed
		if d.Announcements == nil {
			return nil, &bot.Error{Kind: bot.KindUnavailable, Code: bot.CodeAnnounceOff, MsgID: "announce.error.off"}
		}
		pol := d.Announcements.Policy()
		if !pol.Allows(req) {
			pol.record(req.Platform, req.UserID, "", req.Channel, "refused:not_admin")
			return nil, &bot.Error{Kind: bot.KindUnauthorized, Code: bot.CodeNotAdmin, MsgID: "announce.error.not_admin"}
		}
		name := p.Host
		if !p.Address.IsZero() {
			name = p.Address.Domain
		}
		if name == "" {
			return nil, &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeNoDomain, MsgID: "announce.error.no_domain"}
		}
		dom, ok := d.Directory.Lookup(name)
		if !ok {
			if dom, ok = d.Directory.LookupHost(name); !ok {
				return nil, &bot.Error{Kind: bot.KindNotFound, Code: bot.CodeUnknownDomain, MsgID: "announce.error.unknown_domain",
					Data: map[string]any{"Domain": name}}
			}
		}
		if req.Channel == "" {
			return nil, &bot.Error{Kind: bot.KindInvalidInput, Code: bot.CodeNoChannel, MsgID: "announce.error.no_channel"}
		}
		langs := pol.langsOf(req.Channel, req.Lang)
		cards := pol.cards(langs, func(l bot.Localizer, lang string) *bot.Reply {
			return announceCard(l, lang, dom, pol.PublicURL)
		})
		ann := d.Announcements.previews.Put(ctx, &bot.Announcement{Platform: req.Platform, User: req.UserID, Channel: req.Channel,
			Domain: knowledge.DisplayDomain(dom.Name), Cards: cards}, pol.expiry())
		card := cards[0]
		minutes := int(math.Ceil(pol.expiry().Minutes()))
		notes := card.Notes
		if n := pol.langsNote(loc, langs); n != "" {
			notes = append([]bot.Note{{Severity: bot.SeverityInfo, Text: n}}, notes...)
		}
		return &bot.Reply{
			Intent:       bot.IntentAnnounce,
			Title:        loc.Text("announce.preview.title", map[string]any{"Domain": ann.Domain}),
			Intro:        loc.Plural("announce.preview.intro", minutes, nil),
			Settings:     card.Settings,
			Notes:        notes,
			Links:        card.Links,
			Announcement: ann,
			About:        bot.About{Domain: ann.Domain, Host: dom.Incoming().Host},
		}, nil
	})
}

// announceCard is what is posted: the domain's settings for any device,
// and links to each client's guide when the web side is public.
func announceCard(loc bot.Localizer, lang string, d knowledge.Domain, publicURL string) *bot.Reply {
	acct := account{domain: d, known: true}.withEndpoints()
	name := knowledge.DisplayDomain(d.Name)
	card := &bot.Reply{
		Intent:   bot.IntentAnnounce,
		Lang:     lang,
		Title:    loc.Text("announce.card.title", map[string]any{"Domain": name}),
		Intro:    loc.Text("announce.card.intro", map[string]any{"Domain": name}),
		Settings: acct.settingGroups(loc),
		Notes: []bot.Note{
			{Severity: bot.SeverityInfo, Text: loc.Text("note.username_full", nil)},
			{Severity: bot.SeverityInfo, Text: loc.Text("note.ports_vary", nil)},
		},
		Links: acct.links(loc),
	}
	if d.Support != "" {
		card.Notes = append(card.Notes, bot.Note{Severity: bot.SeverityInfo, Text: loc.Text("note.support", map[string]any{"Support": d.Support})})
	}
	for _, c := range knowledge.Clients() {
		if u := bot.Permalink(publicURL, &bot.Reply{Lang: lang, About: bot.About{Client: string(c.ID), Domain: name}}); u != "" {
			card.Links = append(card.Links, bot.Link{Label: loc.Text("link.guide", map[string]any{"Client": c.Name}), URL: u})
		}
	}
	return card
}
