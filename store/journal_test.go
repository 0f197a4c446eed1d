package store

import (
	"context"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// TestJournal: an answer in progress is not handed over while its
// replica renews it, nor once it is finished; when its replica dies (or
// gives it up) it is handed, once, to one other replica after the
// lease, whole; other platforms' are not.
func TestJournal(t *testing.T) {
	rs := testredis.Start(t)
	ra, rb := replica(t, rs.URL(), nil), replica(t, rs.URL(), nil)
	const lease = 300 * time.Millisecond
	a, b, c := NewJournal(ra, lease), NewJournal(rb, lease), NewJournal(rb, lease)
	ctx := context.Background()
	u := bot.Unfinished{Platform: "slack", Channel: "C1", Thread: "1.1", Message: "1.2", User: "U1", Lang: "fr",
		Form: bot.Form{Intent: bot.IntentTroubleshoot, Target: "alice@domaine.com", Symptom: "cannot_send"}}

	end := a.Begin(ctx, u)
	time.Sleep(3 * lease)
	if got := b.Orphans(ctx, "slack"); len(got) != 0 {
		t.Fatalf("handed over while renewed: %+v", got)
	}
	end(true)
	time.Sleep(2 * lease)
	if got := b.Orphans(ctx, "slack"); len(got) != 0 {
		t.Fatalf("handed over once finished: %+v", got)
	}

	// Given up (as a dying replica stops renewing): handed to one.
	a.Begin(ctx, u)(false)
	other := u
	other.Platform = "discord"
	a.Begin(ctx, other)(false)
	if got := b.Orphans(ctx, "slack"); len(got) != 0 {
		t.Fatalf("handed over before its lease ran out: %+v", got)
	}
	var got []bot.Unfinished
	eventually(t, 5*time.Second, "the answer to be handed over", func() bool {
		got = append(got, b.Orphans(ctx, "slack")...)
		got = append(got, c.Orphans(ctx, "slack")...)
		return len(got) > 0
	})
	time.Sleep(lease)
	got = append(got, b.Orphans(ctx, "slack")...)
	got = append(got, c.Orphans(ctx, "slack")...)
	if len(got) != 1 || got[0] != u {
		t.Errorf("handed over: %+v, want once %+v", got, u)
	}
	if got := b.Orphans(ctx, "discord"); len(got) != 1 || got[0] != other {
		t.Errorf("discord's: %+v", got)
	}

	// A replica whose store connection is closed (its process gone)
	// stops renewing too.
	dying := replica(t, rs.URL(), nil)
	NewJournal(dying, lease).Begin(ctx, u)
	dying.Close()
	eventually(t, 5*time.Second, "the dead replica's answer to be handed over", func() bool {
		return len(b.Orphans(ctx, "slack")) == 1
	})

	// With the store down nothing is recorded, nor handed over.
	rs.Stop()
	eventually(t, 10*time.Second, "the store to be seen down", func() bool { return !ra.Healthy() })
	a.Begin(ctx, u)(false)
	if got := a.Orphans(ctx, "slack"); got != nil {
		t.Errorf("handed over with the store down: %+v", got)
	}
}
