package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/handlers"
)

// Previews are the announcements waiting for an admin's confirmation,
// shared by the replicas (handlers.PreviewStore): the click on Post may
// reach another replica than the one that showed the preview. Only the
// admin who asked may confirm, once, before it expires, whichever
// replica the click reaches.
//
// With the store down, previews are kept by this process (local): a
// click that then reaches another replica finds none, and the admin is
// told it expired.
type Previews struct {
	r     *Redis
	local handlers.PreviewStore
}

var _ handlers.PreviewStore = (*Previews)(nil)

// NewPreviews shares previews through r, falling back to local.
func NewPreviews(r *Redis, local handlers.PreviewStore) *Previews {
	return &Previews{r: r, local: local}
}

// storedPreview is an announcement as stored: bot.Reply's JSON leaves
// out About, which the cards' renderers read.
type storedPreview struct {
	ID, Platform, User, Channel, Domain string
	Expires                             time.Time
	Cards                               []storedCard
}

type storedCard struct {
	Reply *bot.Reply
	About bot.About
}

// Put implements handlers.PreviewStore: SET with the ttl as expiry.
func (p *Previews) Put(ctx context.Context, ann *bot.Announcement, ttl time.Duration) *bot.Announcement {
	if !p.r.up.Load() {
		p.r.fallbacks.Add(1)
		return p.local.Put(ctx, ann, ttl)
	}
	ann.ID, ann.Expires = handlers.NewPreviewID(), time.Now().Add(ttl)
	s := storedPreview{ID: ann.ID, Platform: ann.Platform, User: ann.User, Channel: ann.Channel, Domain: ann.Domain,
		Expires: ann.Expires}
	for _, c := range ann.Cards {
		s.Cards = append(s.Cards, storedCard{Reply: c, About: c.About})
	}
	data, err := json.Marshal(s)
	if err == nil {
		err = p.r.do(ctx, func(ctx context.Context) error {
			return p.r.c.Set(ctx, key(p.r.prefix, kindPreview, ann.ID), data, ttl).Err()
		})
	}
	if err != nil {
		p.r.fallbacks.Add(1)
		return p.local.Put(ctx, ann, ttl)
	}
	return ann
}

// Take implements handlers.PreviewStore. Of two replicas taking the
// same preview at once, the one whose DEL removes it has it.
func (p *Previews) Take(ctx context.Context, id, platform, user string, admins []string) (*bot.Announcement, error) {
	if !p.r.up.Load() {
		return p.local.Take(ctx, id, platform, user, admins)
	}
	k := key(p.r.prefix, kindPreview, id)
	var data []byte
	err := p.r.do(ctx, func(ctx context.Context) error {
		var err error
		data, err = p.r.c.Get(ctx, k).Bytes()
		return err
	})
	if err != nil {
		// Not there (perhaps kept here while the store was down), or the
		// store failed: this process's previews.
		return p.local.Take(ctx, id, platform, user, admins)
	}
	ann, err := decodePreview(data)
	if err != nil {
		return nil, err
	}
	if time.Now().After(ann.Expires) {
		return nil, bot.ErrAnnouncementUnknown
	}
	if err := ann.MayAct(platform, user, admins); err != nil {
		return nil, err
	}
	var n int64
	if err := p.r.do(ctx, func(ctx context.Context) error {
		var err error
		n, err = p.r.c.Del(ctx, k).Result()
		return err
	}); err != nil {
		return nil, fmt.Errorf("store: taking a preview: %w", err)
	}
	if n == 0 {
		return nil, bot.ErrAnnouncementUnknown // another replica took it
	}
	return ann, nil
}

// decodePreview reads a stored preview.
func decodePreview(data []byte) (*bot.Announcement, error) {
	var s storedPreview
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("store: a stored preview: %w", err)
	}
	ann := &bot.Announcement{ID: s.ID, Platform: s.Platform, User: s.User, Channel: s.Channel, Domain: s.Domain,
		Expires: s.Expires}
	for _, c := range s.Cards {
		if c.Reply == nil {
			return nil, errors.New("store: a stored preview has an empty card")
		}
		c.Reply.About = c.About
		ann.Cards = append(ann.Cards, c.Reply)
	}
	return ann, nil
}
