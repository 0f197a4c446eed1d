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
		if d.Announcer == nil {
			return nil, &bot.Error{Kind: bot.KindUnavailable, Code: "announce_off", MsgID: "announce.error.off"}
		}
		an := d.Announcer
		pol := an.snapshot()
		if !pol.Admins.Allows(req) {
			an.record(req.Platform, req.UserID, "", p.Channel, "refused:not_admin")
			return nil, &bot.Error{Kind: bot.KindUnauthorized, Code: "not_admin", MsgID: "announce.error.not_admin"}
		}
		name := p.Host
		if !p.Address.IsZero() {
			name = p.Address.Domain
		}
		if name == "" {
			return nil, &bot.Error{Kind: bot.KindInvalidInput, Code: "no_domain", MsgID: "announce.error.no_domain"}
		}
		dom, ok := d.Directory.Lookup(name)
		if !ok {
			if dom, ok = d.Directory.LookupHost(name); !ok {
				return nil, &bot.Error{Kind: bot.KindNotFound, Code: "unknown_domain", MsgID: "announce.error.unknown_domain",
					Data: map[string]any{"Domain": name}}
			}
		}
		if p.Channel == "" {
			return nil, &bot.Error{Kind: bot.KindInvalidInput, Code: "no_channel", MsgID: "announce.error.no_channel"}
		}
		langs := pol.langsOf(p.Channel, req.Lang)
		cards := pol.cards(langs, loc, func(l bot.Localizer, lang string) *bot.Reply {
			return announceCard(l, lang, dom, pol.PublicURL)
		})
		ann := an.prepare(req, dom, p.Channel, cards)
		card := cards[0]
		minutes := int(math.Ceil(ann.Expires.Sub(an.now()).Minutes()))
		notes := card.Notes
		if n := langsNote(loc, langs); n != "" {
			notes = append([]bot.Note{{Severity: bot.SeverityInfo, Text: n}}, notes...)
		}
		return &bot.Reply{
			Intent:   bot.IntentAnnounce,
			Title:    loc.Text("announce.preview.title", map[string]any{"Domain": ann.Domain}),
			Intro:    loc.Plural("announce.preview.intro", minutes, nil),
			Settings: card.Settings,
			Notes:    notes,
			Links:    card.Links,
			Detail:   ann,
			About:    bot.About{Domain: ann.Domain, Host: dom.Incoming().Host},
		}, nil
	})
}

// Cards are d's settings cards as an announcement in channel posts them:
// one per language of the channel, else one in fallback.
func (a *Announcer) Cards(channel, fallback string, d knowledge.Domain) []*bot.Reply {
	pol := a.snapshot()
	langs := pol.langsOf(channel, fallback)
	return pol.cards(langs, pol.Translator.For(langs[0]), func(l bot.Localizer, lang string) *bot.Reply {
		return announceCard(l, lang, d, pol.PublicURL)
	})
}

// announceCard is what is posted: the domain's settings for any device,
// and links to each client's guide when the web side is public.
func announceCard(loc bot.Localizer, lang string, d knowledge.Domain, publicURL string) *bot.Reply {
	acct := account{domain: d, known: true}
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
