package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Announcement is a settings card an admin asked to post in a channel,
// waiting for their confirmation. A handler returns it as the Detail of
// the preview reply; the adapter shows the preview privately with Post
// and Cancel, and posts Cards, in order, only once Confirm accepts.
type Announcement struct {
	ID       string
	Platform string
	// User is the admin who asked; only they may confirm.
	User    string
	Channel string
	Domain  string
	// Cards are what is posted: one message per language of the channel.
	Cards   []*Reply
	Expires time.Time
}

// Errors of Announcements.
var (
	ErrAnnouncementUnknown  = errors.New("no such announcement: expired, already posted or cancelled")
	ErrAnnouncementNotYours = errors.New("only the admin who asked may confirm this announcement")
)

// Announcements confirms and cancels pending announcements, and records
// what became of them.
type Announcements interface {
	// Confirm takes a pending announcement for posting.
	Confirm(ctx context.Context, id, platform, user string) (*Announcement, error)
	// Cancel drops a pending announcement.
	Cancel(ctx context.Context, id, platform, user string) error
	// Posted records the outcome of posting a confirmed announcement.
	Posted(ctx context.Context, a *Announcement, err error)
}

// PostCards posts an announcement's cards in order with post, stopping at
// the first failure: a channel never gets a later language without the
// earlier ones. It returns how many were posted.
func PostCards(a *Announcement, post func(*Reply) error) (int, error) {
	for i, card := range a.Cards {
		if err := post(card); err != nil {
			return i, fmt.Errorf("announcement %s, card %d of %d: %w", a.ID, i+1, len(a.Cards), err)
		}
	}
	return len(a.Cards), nil
}

// FailedPostID is the message telling an admin that posting failed after
// posted cards: "nothing was published" only when posted is 0.
func FailedPostID(posted int) string {
	if posted == 0 {
		return "announce.failed"
	}
	return "announce.failed_partly"
}
