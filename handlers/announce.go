package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
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
	// ChannelLang gives a channel's language (by channel id); others use
	// the language of the admin's request.
	ChannelLang map[string]string
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
func (a *Announcer) prepare(req *bot.Request, d knowledge.Domain, channel string, card *bot.Reply) *bot.Announcement {
	var raw [12]byte
	_, _ = rand.Read(raw[:])
	a.mu.Lock()
	defer a.mu.Unlock()
	exp := a.Expiry
	if exp <= 0 {
		exp = 10 * time.Minute
	}
	ann := &bot.Announcement{ID: hex.EncodeToString(raw[:]), Platform: req.Platform, User: req.UserID,
		Channel: channel, Domain: knowledge.DisplayDomain(d.Name), Card: card, Expires: a.now().Add(exp)}
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
