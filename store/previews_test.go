package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// announcement is a real preview's announcement: an admin's "announce
// domaine.com" in a channel of two languages.
func announcement(t *testing.T) *bot.Announcement {
	t.Helper()
	r, _, _ := testbot.AdminRouter(t, map[string]config.AdminSet{"slack": {Users: []string{"UADMIN"}}}, nil)
	reply := r.Serve(context.Background(), &bot.Request{Text: "announce domaine.com in #it", Channel: "C1",
		Platform: "slack", UserID: "UADMIN"})
	if reply.Announcement == nil || len(reply.Announcement.Cards) == 0 {
		t.Fatalf("no announcement: %+v", reply)
	}
	a := *reply.Announcement
	a.ID, a.Expires = "", time.Time{}
	return &a
}

// TestPreviewsAcrossReplicas: a preview put by one replica is taken from
// another, whole (cards and what renderers read of them), by the admin
// who asked only, once; of several replicas taking it at once, one has
// it.
func TestPreviewsAcrossReplicas(t *testing.T) {
	rs := testredis.Start(t)
	a, b := replica(t, rs.URL(), nil), replica(t, rs.URL(), nil)
	pa, pb := NewPreviews(a, &handlers.Previews{}), NewPreviews(b, &handlers.Previews{})
	ctx := context.Background()
	want := announcement(t)
	put := pa.Put(ctx, want, time.Minute)
	if put.ID == "" || time.Until(put.Expires) <= 0 {
		t.Fatalf("put: %+v", put)
	}
	if _, err := pb.Take(ctx, put.ID, "slack", "UOTHER", nil); !errors.Is(err, bot.ErrAnnouncementNotYours) {
		t.Errorf("another user: %v", err)
	}
	if _, err := pb.Take(ctx, put.ID, "discord", "UADMIN", nil); !errors.Is(err, bot.ErrAnnouncementNotYours) {
		t.Errorf("another platform: %v", err)
	}
	got, err := pb.Take(ctx, put.ID, "slack", "UADMIN", nil)
	if err != nil {
		t.Fatal(err)
	}
	got.Expires, want.Expires = got.Expires.Round(0), want.Expires.Round(0)
	if !got.Expires.Equal(want.Expires) {
		t.Errorf("expires %v, want %v", got.Expires, want.Expires)
	}
	got.Expires = want.Expires
	if !reflect.DeepEqual(got, want) {
		t.Errorf("taken from the other replica:\n%+v\nwant\n%+v", got, want)
	}
	for _, p := range []*Previews{pa, pb} {
		if _, err := p.Take(ctx, put.ID, "slack", "UADMIN", nil); !errors.Is(err, bot.ErrAnnouncementUnknown) {
			t.Errorf("taken twice: %v", err)
		}
	}

	// A change announcement (no user) may be taken by any admin, once.
	ch := pa.Put(ctx, &bot.Announcement{Platform: "slack", Channel: "C1", Domain: "domaine.com",
		Cards: []*bot.Reply{{Title: "t"}}}, time.Minute)
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for i := range 8 {
		p := []*Previews{pa, pb}[i%2]
		wg.Go(func() {
			if _, err := p.Take(ctx, ch.ID, "slack", "UADMIN", []string{"UADMIN"}); err == nil {
				mu.Lock()
				taken++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if taken != 1 {
		t.Errorf("a preview taken %d times by replicas racing", taken)
	}
}

// TestPreviewsExpire: a preview is gone once its time is up.
func TestPreviewsExpire(t *testing.T) {
	rs := testredis.Start(t)
	p := NewPreviews(replica(t, rs.URL(), nil), &handlers.Previews{})
	ann := p.Put(context.Background(), &bot.Announcement{Platform: "slack", User: "U1", Cards: []*bot.Reply{{Title: "t"}}}, 100*time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	if _, err := p.Take(context.Background(), ann.ID, "slack", "U1", nil); !errors.Is(err, bot.ErrAnnouncementUnknown) {
		t.Errorf("an expired preview: %v", err)
	}
}

// TestPreviewsStoreDown: with the store stopped, previews are kept by
// the replica that shows them, and still confirmed there.
func TestPreviewsStoreDown(t *testing.T) {
	rs := testredis.Start(t)
	r := replica(t, rs.URL(), nil)
	p := NewPreviews(r, &handlers.Previews{})
	rs.Stop()
	eventually(t, 10*time.Second, "the store to be seen down", func() bool { return !r.Healthy() })
	ann := p.Put(context.Background(), &bot.Announcement{Platform: "slack", User: "U1", Cards: []*bot.Reply{{Title: "t"}}}, time.Minute)
	if got, err := p.Take(context.Background(), ann.ID, "slack", "U1", nil); err != nil || got.ID != ann.ID {
		t.Errorf("taken while the store is down: %v, %v", got, err)
	}
	if r.Stats().Fallbacks == 0 {
		t.Error("the fallback is not counted")
	}
}
