package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Announcement is a settings card an admin asked to post in a channel,
// waiting for their confirmation. A handler returns it as the Announcement of
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

// MayAct says whether user, on platform, may confirm or cancel a: the
// admin who asked, or for a change announcement (no User) any of admins.
// It returns ErrAnnouncementNotYours when they may not.
func (a *Announcement) MayAct(platform, user string, admins []string) error {
	if a.Platform != platform || (a.User != user && (a.User != "" || !slices.Contains(admins, user))) {
		return ErrAnnouncementNotYours
	}
	return nil
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

// AnnounceVerb is what an admin pressed under a preview.
type AnnounceVerb string

// The buttons of a preview.
const (
	AnnouncePost   AnnounceVerb = "post"
	AnnounceCancel AnnounceVerb = "cancel"
)

// Outcome is what to tell the admin after pressing a preview's button: a
// message ID and its data, for the adapter to localize and show.
type Outcome struct {
	MsgID string
	Data  map[string]any
}

// AnnounceAction runs an admin's press of Post or Cancel on preview id,
// the same way on every platform: it cancels, or confirms and posts the
// cards in order to the announcement's channel with post, records what became of it, and says what to
// tell the admin. reason turns a platform's error into the words that
// tell the admin what to fix ("not_in_channel").
func AnnounceAction(ctx context.Context, an Announcements, verb AnnounceVerb, id, platform, user string,
	post func(channel string, card *Reply) error, reason func(error) string) Outcome {
	if verb == AnnounceCancel {
		if err := an.Cancel(ctx, id, platform, user); err != nil {
			return Outcome{MsgID: announceErrID(err)}
		}
		return Outcome{MsgID: "announce.cancelled"}
	}
	ann, err := an.Confirm(ctx, id, platform, user)
	if err != nil {
		return Outcome{MsgID: announceErrID(err)}
	}
	posted, perr := PostCards(ann, func(card *Reply) error { return post(ann.Channel, card) })
	an.Posted(ctx, ann, perr)
	if perr != nil {
		id := "announce.failed"
		if posted > 0 {
			id = "announce.failed_partly"
		}
		return Outcome{MsgID: id, Data: map[string]any{"Reason": reason(perr), "Posted": posted, "Total": len(ann.Cards)}}
	}
	return Outcome{MsgID: "announce.posted"}
}

func announceErrID(err error) string {
	if errors.Is(err, ErrAnnouncementNotYours) {
		return "announce.not_yours"
	}
	return "announce.expired"
}

// RoleManageServer is the role a Discord member holding the Manage Server
// permission is given in Request.Roles, so that configurations may make
// such members admins.
const RoleManageServer = "manage_server"
