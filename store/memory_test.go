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
