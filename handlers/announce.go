package handlers

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/knowledge"
)

// AnnouncePolicy is one configuration's rules for announcements: who
// may post, in which languages, for how long a preview holds, and where
// outcomes are recorded. A reload replaces it whole.
type AnnouncePolicy struct {
	// Admins may announce, per platform ("slack", "discord").
	Admins map[string]config.AdminSet
	// Expiry is how long a preview may be confirmed; default 10 minutes.
	Expiry time.Duration
	// ChannelLang gives a channel's languages (by channel id): the card
	// is posted once in each, in order. Other channels get the language
	// of the admin's request.
	ChannelLang map[string][]string
	// PublicURL, when set, links the card to each client's guide page.
	PublicURL string
	// Translator writes the cards. Required.
	Translator bot.Translator
	// Audit records every announcement's outcome; nil for none.
	Audit Recorder
}

// Allows reports whether a request comes from one of its platform's
// admins: by user id, by role or group, or (Discord) by the Manage
// Server permission, which the adapter passes as bot.RoleManageServer.
func (p *AnnouncePolicy) Allows(req *bot.Request) bool {
	set, ok := p.Admins[req.Platform]
	if !ok || req.UserID == "" {
		return false
	}
	if slices.Contains(set.Users, req.UserID) {
		return true
	}
	for _, r := range req.Roles {
		if slices.Contains(set.Roles, r) || set.ManageServer && r == bot.RoleManageServer {
			return true
		}
	}
	return false
}

// AdminUsers are a platform's admins by user id: those a change
// announcement is sent to.
func (p *AnnouncePolicy) AdminUsers(platform string) []string {
	return slices.Clone(p.Admins[platform].Users)
}

// expiry is how long a preview holds.
func (p *AnnouncePolicy) expiry() time.Duration {
	if p.Expiry <= 0 {
		return 10 * time.Minute
	}
	return p.Expiry
}

// langsOf returns the languages a card for channel is posted in: the
// channel's configured ones, else fallback.
func (p *AnnouncePolicy) langsOf(channel, fallback string) []string {
	var langs []string
	for _, l := range p.ChannelLang[channel] {
		if p.Translator.Languages().Has(l) {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		langs = []string{fallback}
	}
	return langs
}

// cards writes a card in each of langs with render.
func (p *AnnouncePolicy) cards(langs []string, render func(bot.Localizer, string) *bot.Reply) []*bot.Reply {
	cards := make([]*bot.Reply, 0, len(langs))
	for _, l := range langs {
		cards = append(cards, render(p.Translator.For(l), l))
	}
	return cards
}

// langsNote tells, in loc's language, that a card goes out in several
// languages, each named in itself; it is empty for one.
func (p *AnnouncePolicy) langsNote(loc bot.Localizer, langs []string) string {
	if len(langs) < 2 {
		return ""
	}
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = p.Translator.For(l).Text("lang.name", nil)
	}
	return loc.Plural("announce.preview.langs", len(langs), map[string]any{"Langs": strings.Join(names, ", ")})
}

// record writes an announcement's outcome in the trail, and returns the
// entry and the trail's error (nil when there is no trail).
func (p *AnnouncePolicy) record(platform, user, domain, channel, result string) (audit.Entry, error) {
	e := audit.Entry{Time: time.Now().UTC(), Platform: platform, User: user, Action: "announce",
		Target: domain, Channel: channel, Result: result}
	if p.Audit == nil {
		return e, nil
	}
	return e, p.Audit.Record(e)
}

// Announcements confirms and cancels the previews kept in a PreviewStore under
// the policy of the running configuration. It implements
// bot.Announcements; SetPolicy swaps the policy on a reload, keeping the
// pending previews.
type Announcements struct {
	previews PreviewStore
	policy   atomic.Pointer[AnnouncePolicy]
}

var _ bot.Announcements = (*Announcements)(nil)

// NewAnnouncements returns Announcements over previews under policy.
func NewAnnouncements(previews PreviewStore, policy *AnnouncePolicy) *Announcements {
	a := &Announcements{previews: previews}
	a.policy.Store(policy)
	return a
}

// SetPolicy makes p the policy for what comes next.
func (a *Announcements) SetPolicy(p *AnnouncePolicy) { a.policy.Store(p) }

// Policy is the policy in force.
func (a *Announcements) Policy() *AnnouncePolicy { return a.policy.Load() }

// Confirm implements bot.Announcements.
func (a *Announcements) Confirm(ctx context.Context, id, platform, user string) (*bot.Announcement, error) {
	pol := a.Policy()
	p, err := a.previews.Take(ctx, id, platform, user, pol.AdminUsers(platform))
	if err != nil {
		_, _ = pol.record(platform, user, "", "", "refused:"+reason(err))
	}
	return p, err
}

// Cancel implements bot.Announcements.
func (a *Announcements) Cancel(ctx context.Context, id, platform, user string) error {
	pol := a.Policy()
	p, err := a.previews.Take(ctx, id, platform, user, pol.AdminUsers(platform))
	if err == nil {
		_, _ = pol.record(platform, user, p.Domain, p.Channel, "cancelled")
	}
	return err
}

// Posted implements bot.Announcements.
func (a *Announcements) Posted(ctx context.Context, p *bot.Announcement, err error) {
	_, _ = a.RecordPosted(p, err)
}

// RecordPosted records the outcome of posting p (err is the post's
// failure, nil when it went out), and returns the entry and the trail's
// error: a caller that can show the entry when it could not be written
// (the command line) keeps the action recorded elsewhere.
func (a *Announcements) RecordPosted(p *bot.Announcement, err error) (audit.Entry, error) {
	result := "posted"
	if err != nil {
		result = "failed"
	}
	return a.Policy().record(p.Platform, p.User, p.Domain, p.Channel, result)
}

func reason(err error) string {
	if errors.Is(err, bot.ErrAnnouncementNotYours) {
		return "not_yours"
	}
	return "expired"
}

// Cards are d's settings cards as an announcement in channel posts them:
// one per language of the channel, else one in fallback.
func (p *AnnouncePolicy) Cards(channel, fallback string, d knowledge.Domain) []*bot.Reply {
	return p.cards(p.langsOf(channel, fallback), func(l bot.Localizer, lang string) *bot.Reply {
		return announceCard(l, lang, d, p.PublicURL)
	})
}
