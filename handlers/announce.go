package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// Admins says who may run admin actions, per platform ("slack",
// "discord"): by user id, or by role or group id (Discord's Manage Server
// permission comes as the role "manage_server").
type Admins map[string]AdminSet

// AdminSet is one platform's admins.
type AdminSet struct {
	Users []string
	Roles []string
}

// Allows reports whether a request comes from an admin.
func (a Admins) Allows(req *bot.Request) bool {
	set, ok := a[req.Platform]
	if !ok || req.UserID == "" {
		return false
	}
	if slices.Contains(set.Users, req.UserID) {
		return true
	}
	for _, r := range req.Roles {
		if slices.Contains(set.Roles, r) {
			return true
		}
	}
	return false
}

// Announcer keeps the announcements waiting for their admin's
// confirmation, and makes their cards. It implements bot.Announcements.
// Set its fields before use; SetPolicy replaces them while serving (a
// configuration reload), keeping the pending announcements.
type Announcer struct {
	// Admins may announce.
	Admins Admins
	// Expiry is how long a preview may be confirmed; default 10 minutes.
	Expiry time.Duration
	// ChannelLang gives a channel's languages (by channel id): the card
	// is posted once in each, in order. Other channels get the language
	// of the admin's request.
	ChannelLang map[string][]string
	// PublicURL, when set, links the card to each client's guide page.
	PublicURL string
	// Translator writes the card in the channel's language.
	Translator bot.Translator
	// Audit records every announcement's outcome; nil for none.
	Audit Recorder
	// Now is the clock; default time.Now.
	Now func() time.Time

	mu      sync.Mutex
	pending map[string]*bot.Announcement
}

var _ bot.Announcements = (*Announcer)(nil)

// SetPolicy copies the policy fields of p (admins, expiry, languages,
// public URL, translator, audit), keeping the pending announcements.
func (a *Announcer) SetPolicy(p *Announcer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Admins, a.Expiry, a.ChannelLang, a.PublicURL = p.Admins, p.Expiry, p.ChannelLang, p.PublicURL
	a.Translator, a.Audit, a.Now = p.Translator, p.Audit, p.Now
}

// AdminsOf returns a platform's admins.
func (a *Announcer) AdminsOf(platform string) (AdminSet, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	set, ok := a.Admins[platform]
	return set, ok
}

// langsOf returns the languages a card for channel is posted in: the
// channel's configured ones, else fallback.
func (a *Announcer) langsOf(channel, fallback string) []string {
	var langs []string
	for _, l := range a.ChannelLang[channel] {
		if bot.Supported(l) {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		langs = []string{fallback}
	}
	return langs
}

// cards writes d's card in each of langs: render makes one from a
// Localizer and its language.
func (a *Announcer) cards(langs []string, loc bot.Localizer, render func(bot.Localizer, string) *bot.Reply) []*bot.Reply {
	cards := make([]*bot.Reply, 0, len(langs))
	for _, l := range langs {
		cl := loc
		if l != loc.Lang() && a.Translator != nil {
			cl = a.Translator.For(l)
		}
		cards = append(cards, render(cl, l))
	}
	return cards
}

// langNames are the message ids of the languages' names.
var langNames = map[string]string{"en": "lang.name.en", "fr": "lang.name.fr"}

// langsNote tells, in loc's language, that a card goes out in several
// languages; it is empty for one.
func langsNote(loc bot.Localizer, langs []string) string {
	if len(langs) < 2 {
		return ""
	}
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = loc.Text(langNames[l], nil)
	}
	return loc.Plural("announce.preview.langs", len(langs), map[string]any{"Langs": strings.Join(names, ", ")})
}

// snapshot is the policy at one moment.
func (a *Announcer) snapshot() Announcer {
	a.mu.Lock()
	defer a.mu.Unlock()
	return Announcer{Admins: a.Admins, Expiry: a.Expiry, ChannelLang: a.ChannelLang, PublicURL: a.PublicURL,
		Translator: a.Translator, Audit: a.Audit, Now: a.Now}
}

func (a *Announcer) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// prepare stores a pending announcement and returns it.
func (a *Announcer) prepare(req *bot.Request, d knowledge.Domain, channel string, cards []*bot.Reply) *bot.Announcement {
	var raw [12]byte
	_, _ = rand.Read(raw[:])
	a.mu.Lock()
	defer a.mu.Unlock()
	exp := a.Expiry
	if exp <= 0 {
		exp = 10 * time.Minute
	}
	ann := &bot.Announcement{ID: hex.EncodeToString(raw[:]), Platform: req.Platform, User: req.UserID,
		Channel: channel, Domain: knowledge.DisplayDomain(d.Name), Cards: cards, Expires: a.now().Add(exp)}
	if a.pending == nil {
		a.pending = map[string]*bot.Announcement{}
	}
	for id, p := range a.pending { // drop expired ones: the map stays small
		if a.now().After(p.Expires) {
			delete(a.pending, id)
		}
	}
	a.pending[ann.ID] = ann
	return ann
}

// take removes and returns a pending announcement if user may act on it.
func (a *Announcer) take(id, platform, user string) (*bot.Announcement, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p, ok := a.pending[id]
	if !ok || a.now().After(p.Expires) {
		delete(a.pending, id)
		return nil, bot.ErrAnnouncementUnknown
	}
	// A change announcement (no User) may be confirmed by any of the
	// platform's admin users; any other, only by the admin who asked.
	if p.Platform != platform || (p.User != user && (p.User != "" || !slices.Contains(a.Admins[platform].Users, user))) {
		return nil, bot.ErrAnnouncementNotYours
	}
	delete(a.pending, id)
	return p, nil
}

// Confirm implements bot.Announcements.
func (a *Announcer) Confirm(ctx context.Context, id, platform, user string) (*bot.Announcement, error) {
	p, err := a.take(id, platform, user)
	if err != nil {
		a.record(platform, user, "", "", "refused:"+reason(err))
	}
	return p, err
}

// Cancel implements bot.Announcements.
func (a *Announcer) Cancel(ctx context.Context, id, platform, user string) error {
	p, err := a.take(id, platform, user)
	if err == nil {
		a.record(platform, user, p.Domain, p.Channel, "cancelled")
	}
	return err
}

// Posted implements bot.Announcements.
func (a *Announcer) Posted(ctx context.Context, p *bot.Announcement, err error) {
	result := "posted"
	if err != nil {
		result = "failed"
	}
	a.record(p.Platform, p.User, p.Domain, p.Channel, result)
}

func (a *Announcer) record(platform, user, domain, channel, result string) {
	a.mu.Lock()
	trail := a.Audit
	a.mu.Unlock()
	if trail != nil {
		_ = trail.Record(audit.Entry{Platform: platform, User: user, Action: "announce", Target: domain, Channel: channel, Result: result})
	}
}

func reason(err error) string {
	if errors.Is(err, bot.ErrAnnouncementNotYours) {
		return "not_yours"
	}
	return "expired"
}
