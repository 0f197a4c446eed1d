package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// TestMemoryAcrossReplicas: what one replica remembers of a
// conversation, another recalls; the latest write wins; it expires;
// with the store down, each replica recalls what it remembered itself.
func TestMemoryAcrossReplicas(t *testing.T) {
	rs := testredis.Start(t)
	ra, rb := replica(t, rs.URL(), nil), replica(t, rs.URL(), nil)
	ctx := context.Background()
	newMem := func(r *Redis, ttl time.Duration) *Memory {
		return NewMemory(r, ttl, bot.NewLocalMemory(ttl, 100, nil))
	}
	a, b := newMem(ra, time.Minute), newMem(rb, time.Minute)
	first := bot.Context{Intent: bot.IntentConfigure, Client: "blackberry10",
		Address: bot.Address{Local: "alice", Tag: "mobile", Domain: "domaine.com"}, Host: "bm.domaine.com"}
	// Written in the background: within a few milliseconds, long
	// before a person's follow-up.
	a.Remember(ctx, "slack\x00C1/1.1\x00U1", first)
	eventually(t, time.Second, "the other replica to recall the context", func() bool {
		got, ok := b.Recall(ctx, "slack\x00C1/1.1\x00U1")
		return ok && got == first
	})
	if _, ok := b.Recall(ctx, "slack\x00C1/1.1\x00U2"); ok {
		t.Error("another user's conversation recalled")
	}
	second := bot.Context{Intent: bot.IntentCheck, Host: "mail.exemple.fr", Symptom: "cannot_send"}
	b.Remember(ctx, "slack\x00C1/1.1\x00U1", second)
	eventually(t, time.Second, "the other replica's write to win", func() bool {
		got, _ := a.Recall(ctx, "slack\x00C1/1.1\x00U1")
		return got == second
	})
	// Written in the order remembered: the last one stays.
	for i := range 200 {
		a.Remember(ctx, "order", bot.Context{Intent: bot.IntentPorts, Host: fmt.Sprintf("h%d.domaine.com", i)})
	}
	eventually(t, 2*time.Second, "the last context to be the one stored", func() bool {
		got, _ := newMem(rb, time.Minute).Recall(ctx, "order")
		return got.Host == "h199.domaine.com"
	})
	time.Sleep(50 * time.Millisecond)
	if got, _ := newMem(rb, time.Minute).Recall(ctx, "order"); got.Host != "h199.domaine.com" {
		t.Errorf("an older context overwrote the last: %+v", got)
	}

	short := newMem(ra, 100*time.Millisecond)
	short.Remember(ctx, "k", first)
	eventually(t, time.Second, "the short context to be stored", func() bool {
		_, ok := newMem(rb, time.Minute).Recall(ctx, "k")
		return ok
	})
	time.Sleep(300 * time.Millisecond)
	if _, ok := newMem(rb, time.Minute).Recall(ctx, "k"); ok {
		t.Error("an expired context recalled")
	}

	rs.Stop()
	eventually(t, 10*time.Second, "the store to be seen down", func() bool { return !ra.Healthy() })
	a.Remember(ctx, "down", first)
	if got, ok := a.Recall(ctx, "down"); !ok || got != first {
		t.Errorf("recalled by the same replica with the store down: %+v, %v", got, ok)
	}
}

// TestClaimFetchesTheConversation: a claim whose ctx names the
// conversation its answer will recall fetches it in the same round
// trip, and the Recall that follows asks the store nothing; a claim
// that is not this process's keeps nothing; a context fetched as
// absent is recalled from this process's own.
func TestClaimFetchesTheConversation(t *testing.T) {
	rs := testredis.Start(t)
	ra, rb := replica(t, rs.URL(), nil), replica(t, rs.URL(), nil)
	ctx := context.Background()
	memA := NewMemory(ra, time.Minute, bot.NewLocalMemory(time.Minute, 100, nil))
	memB := NewMemory(rb, time.Minute, bot.NewLocalMemory(time.Minute, 100, nil))
	a := NewDeliveriesWith(ra, local(), DeliveriesOptions{Memory: memA})
	b := NewDeliveriesWith(rb, local(), DeliveriesOptions{Memory: memB})
	key := bot.ConversationKey("slack", "C1/1.1", "U1")
	want := bot.Context{Intent: bot.IntentConfigure, Client: "iphone", Address: bot.Address{Local: "alice", Domain: "domaine.com"}}
	memB.Remember(ctx, key, want)
	eventually(t, time.Second, "the context to be stored", func() bool {
		_, ok := NewMemory(ra, time.Minute, bot.NewLocalMemory(time.Minute, 1, nil)).Recall(ctx, key)
		return ok
	})

	hinted := bot.WithRecallHint(ctx, key)
	calls := commands(ra)
	done, ok := claimed(a.Claim(hinted, "slack:event:Ev1"))
	if !ok {
		t.Fatal("not claimed")
	}
	got, found := memA.Recall(ctx, key)
	if !found || got != want {
		t.Errorf("recalled %+v, %v; want %+v", got, found, want)
	}
	if n := commands(ra) - calls; n != 1 {
		t.Errorf("the claim and the recall took %d calls to the store, want 1", n)
	}
	done(true)

	// The same delivery on the other replica: handled, nothing kept.
	if _, st := b.Claim(hinted, "slack:event:Ev1"); st != bot.Handled {
		t.Fatalf("state %v", st)
	}
	calls = commands(rb)
	if _, found := memB.Recall(ctx, key); !found {
		t.Error("not recalled")
	}
	if n := commands(rb) - calls; n != 1 {
		t.Errorf("a recall after a claim that was not this process's took %d calls, want 1 (asked now)", n)
	}

	// No context in the store: fetched as absent, the process's own is
	// recalled, without a call.
	other := bot.ConversationKey("slack", "C1/1.2", "U1")
	memA.local.Remember(ctx, other, want)
	done, ok = claimed(a.Claim(bot.WithRecallHint(ctx, other), "slack:event:Ev2"))
	if !ok {
		t.Fatal("not claimed")
	}
	defer done(true)
	calls = commands(ra)
	if got, found := memA.Recall(ctx, other); !found || got != want {
		t.Errorf("recalled %+v, %v from this process", got, found)
	}
	if n := commands(ra) - calls; n != 0 {
		t.Errorf("the recall of a context fetched as absent took %d calls", n)
	}

	// A context remembered after the claim fetched an older one (two
	// messages of one conversation at once): the newer is recalled, and
	// so it is once written to the store.
	done3, ok := claimed(a.Claim(hinted, "slack:event:Ev3"))
	if !ok {
		t.Fatal("not claimed")
	}
	defer done3(true)
	newer := bot.Context{Intent: bot.IntentPorts, Host: "bm.domaine.com"}
	memA.Remember(ctx, key, newer)
	if got, _ := memA.Recall(ctx, key); got != newer {
		t.Errorf("recalled %+v after remembering %+v", got, newer)
	}
	eventually(t, time.Second, "the newer context in the store", func() bool {
		got, _ := memB.Recall(ctx, key)
		return got == newer
	})
}

// commands is how many calls r made to the server, pings left out.
func commands(r *Redis) uint64 { return r.calls.Load() - r.pings.Load() }
