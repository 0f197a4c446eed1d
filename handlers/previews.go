package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// Previews keeps the announcements waiting for an admin's confirmation.
// It outlives configurations: a reload does not drop a pending preview.
// Safe for concurrent use; the zero value is ready.
type Previews struct {
	// Now is the clock; default time.Now.
	Now func() time.Time

	mu      sync.Mutex
	pending map[string]*bot.Announcement
}

func (p *Previews) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// put stores ann under a new random id, expiring after ttl, and drops
// expired ones so the store stays small.
func (p *Previews) put(ann *bot.Announcement, ttl time.Duration) *bot.Announcement {
	var raw [12]byte
	_, _ = rand.Read(raw[:])
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	ann.ID, ann.Expires = hex.EncodeToString(raw[:]), now.Add(ttl)
	if p.pending == nil {
		p.pending = map[string]*bot.Announcement{}
	}
	for id, a := range p.pending {
		if now.After(a.Expires) {
			delete(p.pending, id)
		}
	}
	p.pending[ann.ID] = ann
	return ann
}

// take removes and returns a pending announcement if user may act on it:
// the admin who asked, or for a change announcement (no User) any of
// admins.
func (p *Previews) take(id, platform, user string, admins []string) (*bot.Announcement, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.pending[id]
	if !ok || p.now().After(a.Expires) {
		delete(p.pending, id)
		return nil, bot.ErrAnnouncementUnknown
	}
	if a.Platform != platform || (a.User != user && (a.User != "" || !slices.Contains(admins, user))) {
		return nil, bot.ErrAnnouncementNotYours
	}
	delete(p.pending, id)
	return a, nil
}
