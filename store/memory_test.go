package store

import (
	"context"
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
	a.Remember(ctx, "slack\x00C1/1.1\x00U1", first)
	if got, ok := b.Recall(ctx, "slack\x00C1/1.1\x00U1"); !ok || got != first {
		t.Errorf("recalled on the other replica: %+v, %v", got, ok)
	}
	if _, ok := b.Recall(ctx, "slack\x00C1/1.1\x00U2"); ok {
		t.Error("another user's conversation recalled")
	}
	second := bot.Context{Intent: bot.IntentCheck, Host: "mail.exemple.fr", Symptom: "cannot_send"}
	b.Remember(ctx, "slack\x00C1/1.1\x00U1", second)
	if got, _ := a.Recall(ctx, "slack\x00C1/1.1\x00U1"); got != second {
		t.Errorf("after the other replica's write: %+v", got)
	}

	short := newMem(ra, 100*time.Millisecond)
	short.Remember(ctx, "k", first)
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
