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
// gives it up) it is handed to one other replica after the lease,
// whole, and is then that replica's, renewed, until it finishes it or
// gives it up in turn; other platforms' are not mixed in.
func TestJournal(t *testing.T) {
	rs := testredis.Start(t)
	ra, rb := replica(t, rs.URL(), nil), replica(t, rs.URL(), nil)
	const lease = 300 * time.Millisecond
	a, b, c := NewJournal(ra, lease), NewJournal(rb, lease), NewJournal(rb, lease)
	ctx := context.Background()
	u := bot.Unfinished{Platform: "slack", Delivery: "slack:event:Ev1", Channel: "C1", Thread: "1.1", Message: "1.2", User: "U1", Lang: "fr",
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
	var got []bot.Orphan
	eventually(t, 5*time.Second, "the answer to be handed over", func() bool {
		got = append(got, b.Orphans(ctx, "slack")...)
		got = append(got, c.Orphans(ctx, "slack")...)
		return len(got) > 0
	})
	// Taken over, it is the taker's, renewed: nobody else gets it.
	time.Sleep(3 * lease)
	got = append(got, b.Orphans(ctx, "slack")...)
	got = append(got, c.Orphans(ctx, "slack")...)
	if len(got) != 1 || got[0].Unfinished != u {
		t.Fatalf("handed over: %+v, want once %+v", got, u)
	}
	// The taker gives it up (it was stopping): taken over again.
	got[0].End(false)
	var again []bot.Orphan
	eventually(t, 5*time.Second, "the answer given up to be handed over again", func() bool {
		again = append(again, c.Orphans(ctx, "slack")...)
		return len(again) > 0
	})
	again[0].End(true)
	time.Sleep(2 * lease)
	if got := b.Orphans(ctx, "slack"); len(got) != 0 {
		t.Errorf("handed over once finished by its taker: %+v", got)
	}
	if got := b.Orphans(ctx, "discord"); len(got) != 1 || got[0].Unfinished != other {
		t.Errorf("discord's: %+v", got)
	} else {
		got[0].End(true)
	}

	// A replica whose store connection is closed (its process gone)
	// stops renewing too.
	dying := replica(t, rs.URL(), nil)
	NewJournal(dying, lease).Begin(ctx, u)
	dying.Close()
	eventually(t, 5*time.Second, "the dead replica's answer to be handed over", func() bool {
		got := b.Orphans(ctx, "slack")
		for _, o := range got {
			o.End(true)
		}
		return len(got) == 1
	})

	// With the store down nothing is recorded, nor handed over.
	rs.Stop()
	eventually(t, 10*time.Second, "the store to be seen down", func() bool { return !ra.Healthy() })
	a.Begin(ctx, u)(false)
	if got := a.Orphans(ctx, "slack"); got != nil {
		t.Errorf("handed over with the store down: %+v", got)
	}
}
