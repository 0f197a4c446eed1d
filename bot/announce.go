package bot

import (
	"context"
	"errors"
	"time"
)

// Announcement is a settings card an admin asked to post in a channel,
// waiting for their confirmation. A handler returns it as the Detail of
// the preview reply; the adapter shows the preview privately with Post
// and Cancel, and posts Card only once Confirm accepts.
type Announcement struct {
	ID       string
	Platform string
	// User is the admin who asked; only they may confirm.
	User    string
	Channel string
	Domain  string
	Card    *Reply
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
