package slackbot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/internal/testredis"
	"github.com/mailhelp/mailhelp/locales"
	"github.com/mailhelp/mailhelp/store"
)

// startReplicas connects n adapters to one fake Slack, each with its own
// Socket Mode connection and its own client of one Redis: n replicas.
func startReplicas(t *testing.T, f *fakeSlack, url string, n int) []*store.Redis {
	t.Helper()
	var stores []*store.Redis
	for range n {
		r, err := store.Open(context.Background(), url, store.Options{Logger: testbot.Quiet()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Close() })
		stores = append(stores, r)
		startBot(t, f, Options{Deliveries: store.NewDeliveries(r, bot.NewLocalDeliveries(time.Minute, 1000)), HoldAcks: true})
	}
	return stores
}

// TestReplicasAnswerOnce: Slack spreads an app's envelopes over its
// connections, and a retry may reach another one. Two replicas sharing a
// store answer each event, command and button once, whichever
// connection it reaches and however often; both acknowledge every
// envelope.
func TestReplicasAnswerOnce(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeSlack(t)
	startReplicas(t, f, rs.URL(), 2)
	const n = 8
	for i := range n {
		ts := fmt.Sprintf("1.%d", i)
		ev := mentionEnvelope("env-a"+ts, "Ev"+ts, "U1", "C1", ts, "<@UBOT> which ports?")
		retry := mentionEnvelope("env-b"+ts, "Ev"+ts, "U1", "C1", ts, "<@UBOT> which ports?")
		f.sendOn(i%2, ev)
		f.sendOn(1-i%2, retry)
		f.sendOn(i%2, retry) // and once more on the first
	}
	f.sendOn(0, commandEnvelope(f, "env-c1", "T-cmd", "U2", "which ports?"))
	f.sendOn(1, commandEnvelope(f, "env-c2", "T-cmd", "U2", "which ports?"))
	f.waitCalls("chat.postMessage", n)
	f.waitCalls("response_url", 1)
	time.Sleep(300 * time.Millisecond)
	if got := len(f.callsOf("chat.postMessage")); got != n {
		t.Errorf("%d answers to %d events", got, n)
	}
	if got := len(f.callsOf("response_url")); got != 1 {
		t.Errorf("%d answers to one command", got)
	}
	// Each envelope is acknowledged once its event is answered; one
	// that came while the other replica was answering, on a retry.
	waitFor(t, "every envelope to be acknowledged", func() bool {
		for i := range n {
			ts := fmt.Sprintf("1.%d", i)
			if !f.acked("env-a"+ts) || !f.acked("env-b"+ts) {
				return false
			}
		}
		return true
	})
	if got := len(f.callsOf("chat.postMessage")); got != n {
		t.Errorf("%d answers to %d events after the retries", got, n)
	}
}

// TestReplicasStoreDown: with the store stopped, answers go on (each
// replica deciding alone) and the store is reported down; once it is
// back, the replicas share their deliveries again.
func TestReplicasStoreDown(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeSlack(t)
	stores := startReplicas(t, f, rs.URL(), 2)
	rs.Stop()
	f.sendOn(0, mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> which ports?"))
	f.sendOn(1, mentionEnvelope("env-2", "Ev2", "U1", "C1", "1.2", "<@UBOT> which ports?"))
	f.waitCalls("chat.postMessage", 2)
	for i, s := range stores {
		if s.Healthy() {
			t.Errorf("replica %d: the store is said to answer while it is stopped", i)
		}
	}
	rs.Restart(t)
	waitFor(t, "the store to answer again", func() bool { return stores[0].Healthy() && stores[1].Healthy() })
	f.sendOn(0, mentionEnvelope("env-3", "Ev3", "U1", "C1", "1.3", "<@UBOT> which ports?"))
	f.sendOn(1, mentionEnvelope("env-4", "Ev3", "U1", "C1", "1.3", "<@UBOT> which ports?"))
	f.waitCalls("chat.postMessage", 3)
	time.Sleep(300 * time.Millisecond)
	if got := len(f.callsOf("chat.postMessage")); got != 3 {
		t.Errorf("%d answers; want 3 (two while the store was down, one after)", got)
	}
}

// TestReplicasAnnounce: an admin's preview is shown by one replica and
// its Post button reaches the other: the card is posted once, and a
// second click, on either, is told the preview was already handled.
func TestReplicasAnnounce(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeSlack(t)
	cfg, err := config.Parse([]byte(testbot.Config))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r, err := store.Open(context.Background(), rs.URL(), store.Options{Logger: testbot.Quiet()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Close() })
		an := handlers.NewAnnouncements(store.NewPreviews(r, &handlers.Previews{}), &handlers.AnnouncePolicy{
			Admins:     map[string]config.AdminSet{"slack": {Users: []string{"UADMIN"}}},
			Translator: cat, ChannelLang: map[string][]string{"CNEWS": {"fr"}}})
		router := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), Logger: testbot.Quiet()})
		handlers.Register(router, handlers.Deps{Directory: cfg.Directory, Announcements: an, Translator: cat})
		startBotWith(t, f, Options{Router: router, Translator: cat, Announcements: an,
			Deliveries: store.NewDeliveries(r, bot.NewLocalDeliveries(time.Minute, 1000)), HoldAcks: true})
	}
	f.sendOn(0, mentionEnvelope("env-1", "Ev1", "UADMIN", "C1", "1.1", "<@UBOT> announce domaine.com in <#CNEWS|annonces>"))
	preview := f.waitCalls("chat.postEphemeral", 1)[0]
	id := previewID(t, preview)
	// Another admin's click, on the other replica: refused.
	f.sendOn(1, buttonEnvelope(f, "env-2", "trig-2", "UOTHER", actionAnnouncePost, id, "1.2"))
	f.waitCalls("response_url", 1)
	f.sendOn(1, buttonEnvelope(f, "env-3", "trig-3", "UADMIN", actionAnnouncePost, id, "1.2"))
	card := f.waitCalls("chat.postMessage", 1)[0]
	if card.Form.Get("channel") != "CNEWS" || !strings.Contains(blocksText(t, card), "Réglages de messagerie pour domaine.com") {
		t.Errorf("card: %s %s", card.Form.Get("channel"), blocksText(t, card))
	}
	f.sendOn(0, buttonEnvelope(f, "env-4", "trig-4", "UADMIN", actionAnnouncePost, id, "1.2"))
	again := f.waitCalls("response_url", 3)[2]
	if !strings.Contains(blocksText(t, again), "expired or was already handled") {
		t.Errorf("second post: %s", blocksText(t, again))
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(f.callsOf("chat.postMessage")); n != 1 {
		t.Errorf("the card was posted %d times", n)
	}
}

// TestClaimsHintTheConversation: each claim of a mention, a direct
// message or a command names the conversation its answer recalls
// (bot.WithRecallHint), so that a shared store fetches it with the
// claim; events the bot ignores are not claimed.
func TestClaimsHintTheConversation(t *testing.T) {
	f := newFakeSlack(t)
	hints := testbot.NewHints()
	r, cat := testbot.RouterWith(t, slowProber{}, hints.Memory())
	startBotWith(t, f, Options{Router: r, Translator: cat, Deliveries: hints.Deliveries()})
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> which ports?"))
	f.send(dmEnvelope("env-2", "Ev2", "U2", "D2", "1.2", "which ports?"))
	f.send(commandEnvelope(f, "env-3", "T-3", "U3", "which ports?"))
	own := dmEnvelope("env-4", "Ev4", "UBOT", "D2", "1.4", "an echo of the bot")
	f.send(own)
	f.waitCalls("chat.postMessage", 2)
	f.waitCalls("response_url", 1)
	waitFor(t, "three recalls", func() bool { return len(hints.Recalled()) == 3 })
	if got, want := hints.Hinted(), hints.Recalled(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("claims hinted %q; the answers recalled %q", got, want)
	}
}
