package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// PreviewStore keeps the announcements waiting for an admin's
// confirmation: *Previews in this process, store.Previews shared by the
// replicas (the click on Post may reach another replica than the one
// that showed the preview). Implementations are safe for concurrent use.
type PreviewStore interface {
	// Put keeps ann under a new random id for ttl, and returns it with
	// its ID and Expires set.
	Put(ctx context.Context, ann *bot.Announcement, ttl time.Duration) *bot.Announcement
	// Take removes and returns a pending announcement if user may act on
	// it (bot.Announcement.MayAct), once: bot.ErrAnnouncementUnknown
	// when there is none (expired, already taken), else
	// bot.ErrAnnouncementNotYours when user may not.
	Take(ctx context.Context, id, platform, user string, admins []string) (*bot.Announcement, error)
}

// Previews keeps pending announcements in this process. It outlives
// configurations: a reload does not drop a pending preview. Safe for
// concurrent use; the zero value is ready.
type Previews struct {
	// Now is the clock; default time.Now.
	Now func() time.Time

	mu      sync.Mutex
	pending map[string]*bot.Announcement
}

var _ PreviewStore = (*Previews)(nil)

func (p *Previews) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// NewPreviewID is a new random announcement id.
func NewPreviewID() string {
	var raw [12]byte
	_, _ = rand.Read(raw[:])
	return hex.EncodeToString(raw[:])
}

// Put implements PreviewStore, dropping expired previews so the store
// stays small.
func (p *Previews) Put(_ context.Context, ann *bot.Announcement, ttl time.Duration) *bot.Announcement {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	ann.ID, ann.Expires = NewPreviewID(), now.Add(ttl)
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

// Take implements PreviewStore.
func (p *Previews) Take(_ context.Context, id, platform, user string, admins []string) (*bot.Announcement, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a, ok := p.pending[id]
	if !ok || p.now().After(a.Expires) {
		delete(p.pending, id)
		return nil, bot.ErrAnnouncementUnknown
	}
	if err := a.MayAct(platform, user, admins); err != nil {
		return nil, err
	}
	delete(p.pending, id)
	return a, nil
}
