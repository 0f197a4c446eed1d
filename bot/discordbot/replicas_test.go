package discordbot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/internal/testredis"
	sharedstore "github.com/mailhelp/mailhelp/store"
)

// TestReplicasAnswerOnce: during a rolling update two replicas run the
// same shard and both receive its events; sharing a store, they answer
// each message and each interaction once.
func TestReplicasAnswerOnce(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeDiscord(t)
	for range 2 {
		r, err := sharedstore.Open(context.Background(), rs.URL(), sharedstore.Options{Logger: testbot.Quiet()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Close() })
		opts := testOptions(t, 0)
		opts.Deliveries = sharedstore.NewDeliveries(r, bot.NewLocalDeliveries(time.Minute, 1000))
		startBot(t, f, opts)
	}
	answeredOnce(t, f, 6)
}

// answeredOnce sends n messages and an interaction on both of the first
// two gateway connections, in turn first on one and on the other, and
// checks each is answered once.
func answeredOnce(t *testing.T, f *fakeDiscord, n int) {
	t.Helper()
	for i := range n {
		m := messageCreate(fmt.Sprintf("M%d", i), "C1", "G1", "U1", "<@BOT> which ports?", true)
		f.dispatchOn(i%2, "MESSAGE_CREATE", m)
		f.dispatchOn(1-i%2, "MESSAGE_CREATE", m)
	}
	in := commandInteraction("I1", "en-US", "ports", map[string]string{})
	f.dispatchOn(0, "INTERACTION_CREATE", in)
	f.dispatchOn(1, "INTERACTION_CREATE", in)
	f.waitCalls("POST", "/messages", n)
	f.waitCalls("POST", "/interactions/I1/", 1)
	time.Sleep(300 * time.Millisecond)
	if got := len(f.callsOf("POST", "/messages")); got != n {
		t.Errorf("%d answers to %d messages", got, n)
	}
	if got := len(f.callsOf("POST", "/interactions/I1/")); got != 1 {
		t.Errorf("%d answers to one interaction", got)
	}
}
