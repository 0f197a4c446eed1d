package slackbot

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/locales"
)

type slowProber = testbot.SlowProber

func testRouter(t testing.TB, prober handlers.Prober) (*bot.Router, *locales.Catalog) {
	return testbot.Router(t, prober)
}

// startBot connects an adapter to a fake Slack over Socket Mode.
func startBot(t testing.TB, f *fakeSlack, opts Options) *Adapter {
	t.Helper()
	r, cat := testRouter(t, slowProber{Pause: 50 * time.Millisecond})
	opts.Router, opts.Translator = r, cat
	return startBotWith(t, f, opts)
}

// startBotWith connects an adapter with the given router.
func startBotWith(t testing.TB, f *fakeSlack, opts Options) *Adapter {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testbot.Quiet()
	}
	if opts.ChannelBurst == 0 {
		opts.ChannelBurst = 1000
	}
	a, err := New(Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: f.srv.URL + "/api", // no trailing slash on purpose
		SocketOptions: []socketmode.Option{socketmode.OptionPingInterval(time.Second)}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = a.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	f.waitConnected(1)
	return a
}

// blocksText is every text of a posted message's blocks.
func blocksText(t testing.TB, c apiCall) string {
	t.Helper()
	raw := c.Form.Get("blocks")
	if c.JSON != nil {
		b, _ := json.Marshal(c.JSON["blocks"])
		raw = string(b)
	}
	var blocks slack.Blocks
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		t.Fatalf("blocks: %v in %s", err, raw)
	}
	b, _ := json.Marshal(blocks)
	return string(b)
}

func TestMentionInChannel(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1700000001.000100", "<@UBOT> configure BlackBerry for <mailto:alice@domaine.com|alice@domaine.com>"))
	post := f.waitCalls("chat.postMessage", 1)[0]
	if post.Form.Get("channel") != "C1" || post.Form.Get("thread_ts") != "1700000001.000100" {
		t.Errorf("posted to %q thread %q", post.Form.Get("channel"), post.Form.Get("thread_ts"))
	}
	// An event is acknowledged once answered.
	waitFor(t, "the envelope to be acknowledged", func() bool { return f.acked("env-1") })
	text := blocksText(t, post)
	if !strings.Contains(text, "Set up BlackBerry 10 for alice@domaine.com") || !strings.Contains(text, "mailhelp_check") {
		t.Errorf("blocks: %s", text)
	}
	golden.Assert(t, "mention_bb10_en.json", indent(t, post.Form.Get("blocks")))
}

func TestDirectMessageAndLocale(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	// No language in the text: the user's Slack locale (fr-FR) decides.
	f.send(dmEnvelope("env-1", "Ev1", "UFR1", "D1", "1700000001.000100", "bb10 alice@domaine.com"))
	f.send(dmEnvelope("env-2", "Ev2", "UFR1", "D1", "1700000002.000100", "thunderbird alice@domaine.com"))
	posts := f.waitCalls("chat.postMessage", 2)
	for _, p := range posts {
		if p.Form.Get("channel") != "D1" || p.Form.Get("thread_ts") != "" {
			t.Errorf("DM answer to %q thread %q", p.Form.Get("channel"), p.Form.Get("thread_ts"))
		}
	}
	all := blocksText(t, posts[0]) + blocksText(t, posts[1])
	if !strings.Contains(all, "Configurer BlackBerry 10") || !strings.Contains(all, "Configurer Thunderbird pour") {
		t.Errorf("not in French: %s", all)
	}
	f.mu.Lock()
	n := f.locales["UFR1"]
	f.mu.Unlock()
	if n != 1 {
		t.Errorf("users.info called %d times for one user; want 1 (cached)", n)
	}
}

func TestIgnoresBotsAndItself(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	own := eventsEnvelope("env-1", "Ev1", map[string]any{"type": "message", "channel_type": "im", "user": "UBOT", "text": "help", "ts": "1.1", "channel": "D1"})
	other := eventsEnvelope("env-2", "Ev2", map[string]any{"type": "message", "channel_type": "im", "bot_id": "B9", "user": "U9", "text": "help", "ts": "1.2", "channel": "D1"})
	edit := eventsEnvelope("env-3", "Ev3", map[string]any{"type": "message", "subtype": "message_changed", "channel_type": "im", "user": "U1", "text": "help", "ts": "1.3", "channel": "D1"})
	for _, e := range []map[string]any{own, other, edit} {
		f.send(e)
	}
	f.send(dmEnvelope("env-4", "Ev4", "U1", "D1", "1.4", "help"))
	f.waitCalls("chat.postMessage", 1)
	time.Sleep(100 * time.Millisecond)
	if n := len(f.callsOf("chat.postMessage")); n != 1 {
		t.Errorf("%d posts; only the human's message deserved one", n)
	}
	for _, id := range []string{"env-1", "env-2", "env-3", "env-4"} {
		waitFor(t, id+" to be acknowledged", func() bool { return f.acked(id) })
	}
}

func TestSlashCommand(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(commandEnvelope(f, "env-1", "trig-1", "U1", "configure blackberry alice@domaine.com"))
	f.send(commandEnvelope(f, "env-2", "trig-2", "U1", "configure blackberry alice@domaine.com public"))
	posts := f.waitCalls("response_url", 2)
	types := map[string]string{}
	for _, p := range posts {
		types[p.Form.Get("path")] = p.JSON["response_type"].(string)
	}
	if types["/response/trig-1"] != "ephemeral" || types["/response/trig-2"] != "in_channel" {
		t.Errorf("response types %v", types)
	}
	if !f.acked("env-1") || !f.acked("env-2") {
		t.Error("commands not acknowledged")
	}
}

func TestCheckButton(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(buttonEnvelope(f, "env-1", "trig-1", "U1", actionCheck, `{"p":"check alice@domaine.com"}`, "1700000005.000100"))
	// At once "checking…" in the thread, then that message updated.
	first := f.waitCalls("response_url", 1)[0]
	if !strings.Contains(blocksText(t, first), "Checking alice@domaine.com") {
		t.Errorf("first post: %s", blocksText(t, first))
	}
	second := f.waitCalls("response_url", 2)[1]
	if second.JSON["replace_original"] != true || !strings.Contains(blocksText(t, second), "everything your device needs works") {
		t.Errorf("update: replace=%v %s", second.JSON["replace_original"], blocksText(t, second))
	}
}

func TestCheckMention(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1700000001.000100", "<@UBOT> check alice@domaine.com"))
	post := f.waitCalls("chat.postMessage", 1)[0]
	upd := f.waitCalls("chat.update", 1)[0]
	if !strings.Contains(blocksText(t, post), "Checking alice@domaine.com") || post.Form.Get("thread_ts") != "1700000001.000100" {
		t.Errorf("ack post: %s", blocksText(t, post))
	}
	if upd.Form.Get("ts") == "" || !strings.Contains(blocksText(t, upd), "everything your device needs works") {
		t.Errorf("update: ts %q %s", upd.Form.Get("ts"), blocksText(t, upd))
	}
}

// TestCheckMessageLanguage: "checking…" and the result come out in the
// same language, the domain's step included, in every language.
func TestCheckMessageLanguage(t *testing.T) {
	tests := []struct{ text, checking, result string }{
		{"<@UBOT> ping jean@exemple.fr", "Vérification de jean@exemple.fr", "tout ce dont votre appareil a besoin fonctionne"},
		{"<@UBOT> prüfe <mailto:alice@domaine.com|alice@domaine.com>", "alice@domaine.com wird geprüft", "Alles, was Ihr Gerät braucht, funktioniert"},
		{"<@UBOT> comprueba alice@domaine.com", "Comprobando alice@domaine.com", "funciona todo lo que necesita su dispositivo"},
	}
	for i, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			f := newFakeSlack(t)
			startBot(t, f, Options{})
			f.send(mentionEnvelope("env-"+strconv.Itoa(i), "Ev"+strconv.Itoa(i), "UNOLOC1", "C1", "1700000001.000100", tc.text))
			post := f.waitCalls("chat.postMessage", 1)[0]
			upd := f.waitCalls("chat.update", 1)[0]
			if !strings.Contains(blocksText(t, post), tc.checking) || !strings.Contains(blocksText(t, upd), tc.result) {
				t.Errorf("checking: %s\nresult: %.300s", blocksText(t, post), blocksText(t, upd))
			}
		})
	}
}

// TestSlackLocales: with no language in the text, Slack's locales de-DE
// and es-LA choose German and Spanish.
func TestSlackLocales(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(dmEnvelope("env-1", "Ev1", "UDE1", "D1", "1.1", "bb10 alice@domaine.com"))
	posts := f.waitCalls("chat.postMessage", 1)
	f.send(dmEnvelope("env-2", "Ev2", "UES1", "D2", "1.2", "bb10 alice@domaine.com"))
	posts = f.waitCalls("chat.postMessage", 2)
	all := blocksText(t, posts[0]) + blocksText(t, posts[1])
	if !strings.Contains(all, "BlackBerry 10 für alice@domaine.com einrichten") || !strings.Contains(all, "Configurar BlackBerry 10 para alice@domaine.com") {
		t.Errorf("not in German and Spanish: %.400s", all)
	}
}

// TestGermanAndSpanishQuestions are answered in their language, with a
// button for each other language.
func TestGermanAndSpanishQuestions(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(dmEnvelope("env-1", "Ev1", "U1", "D1", "1.1", "Wie richte ich mein BlackBerry für alice@domaine.com ein?"))
	f.send(dmEnvelope("env-2", "Ev2", "U1", "D1", "1.2", "¿Cómo configuro mi BlackBerry para alice@domaine.com?"))
	posts := f.waitCalls("chat.postMessage", 2)
	all := blocksText(t, posts[0]) + blocksText(t, posts[1])
	for _, want := range []string{"BlackBerry 10 für alice@domaine.com einrichten", "Configurar BlackBerry 10 para alice@domaine.com",
		`"text":"English"`, `"text":"Français"`, `"text":"Deutsch"`, `"text":"Español"`} {
		if !strings.Contains(all, want) {
			t.Errorf("lacks %s: %.500s", want, all)
		}
	}
}

func TestLanguageButton(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(buttonEnvelope(f, "env-1", "trig-1", "U1", actionLang, `{"p":"configure BlackBerry for alice@domaine.com","l":"fr"}`, "1700000005.000100"))
	p := f.waitCalls("response_url", 1)[0]
	if p.JSON["replace_original"] != true || !strings.Contains(blocksText(t, p), "Configurer BlackBerry 10") {
		t.Errorf("%v %s", p.JSON["replace_original"], blocksText(t, p))
	}
}

func TestDuplicateDelivery(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	// Slack retries with the same event id in a new envelope.
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> help"))
	f.send(mentionEnvelope("env-2", "Ev1", "U1", "C1", "1.1", "<@UBOT> help"))
	f.waitCalls("chat.postMessage", 1)
	time.Sleep(150 * time.Millisecond)
	if n := len(f.callsOf("chat.postMessage")); n != 1 {
		t.Errorf("answered %d times", n)
	}
	// The repeat is acknowledged once the answer is given (if it came
	// while the answer was being written, on Slack's next retry).
	waitFor(t, "both deliveries to be acknowledged", func() bool { return f.acked("env-1") && f.acked("env-2") })
	if n := len(f.callsOf("chat.postMessage")); n != 1 {
		t.Errorf("answered %d times after the retries", n)
	}
}

func TestReconnect(t *testing.T) {
	f := newFakeSlack(t)
	reconnects := make(chan struct{}, 4)
	a := startBot(t, f, Options{Reconnected: func() { reconnects <- struct{}{} }})
	waitFor(t, "connected", a.Connected)
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> help"))
	f.waitCalls("chat.postMessage", 1)
	// Slack recycles the socket; an event it had sent before may come
	// again on the new one, and a new event follows.
	f.send(map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "fake"}})
	f.waitConnected(1)
	select {
	case <-reconnects:
	case <-time.After(5 * time.Second):
		t.Fatal("no reconnection reported")
	}
	f.send(mentionEnvelope("env-1b", "Ev1", "U1", "C1", "1.1", "<@UBOT> help"))
	f.send(mentionEnvelope("env-2", "Ev2", "U1", "C1", "1.2", "<@UBOT> which clients are supported?"))
	f.waitCalls("chat.postMessage", 2)
	time.Sleep(150 * time.Millisecond)
	if n := len(f.callsOf("chat.postMessage")); n != 2 {
		t.Errorf("%d answers; want 2 (none lost, none twice)", n)
	}
	f.mu.Lock()
	opens := f.opens
	f.mu.Unlock()
	if opens != 2 {
		t.Errorf("apps.connections.open called %d times", opens)
	}
	if !a.Connected() {
		t.Error("not connected after the reconnect")
	}
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestUndecodableEnvelopeIsAcked(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.sendRaw(`{"envelope_id":"env-bad","type":"slash_commands","payload":{"user_id":42}}`)
	deadline := time.Now().Add(5 * time.Second)
	for !f.acked("env-bad") {
		if time.Now().After(deadline) {
			t.Fatal("undecodable envelope not acknowledged")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRateLimited(t *testing.T) {
	f := newFakeSlack(t)
	f.limited = 1
	startBot(t, f, Options{})
	start := time.Now()
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> help"))
	f.waitCalls("chat.postMessage", 1)
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retried after %s, before Retry-After", d)
	}
}

func TestPacing(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{ChannelBurst: 2, ChannelInterval: 300 * time.Millisecond})
	for i := range 3 {
		id := string(rune('a' + i))
		f.send(mentionEnvelope("env-"+id, "Ev"+id, "U1", "C1", "1."+id, "<@UBOT> help"))
	}
	posts := f.waitCalls("chat.postMessage", 3)
	if gap := posts[2].At.Sub(posts[0].At); gap < 250*time.Millisecond {
		t.Errorf("third post %s after the first; the channel's pace allows 2 at once then one per 300 ms", gap)
	}
}

func TestHostileQuestion(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1",
		"<@UBOT> <!channel> <!here> @everyone configure BlackBerry for <mailto:x@domaine.com|x@domaine.com> <https://evil.example|click> <@U999>"))
	post := f.waitCalls("chat.postMessage", 1)[0]
	all := post.Form.Get("text") + blocksText(t, post)
	for _, bad := range []string{"<!channel>", "<!here>", "<@U999>", "<https://evil", "evil.example|"} {
		if strings.Contains(all, bad) {
			t.Errorf("the answer holds %q", bad)
		}
	}
}

func indent(t testing.TB, raw string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b) + "\n"
}

// TestWatchdog: a connection on which Slack goes silent (no ping) is
// dropped and reopened, and events flow again.
func TestWatchdog(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.silent.Store(true)
	f.waitConnected(1) // reopened after the ping interval
	f.silent.Store(false)
	f.send(mentionEnvelope("env-1", "Ev1", "U1", "C1", "1.1", "<@UBOT> help"))
	f.waitCalls("chat.postMessage", 1)
}

func TestBlockGoldens(t *testing.T) {
	f := newFakeSlack(t)
	startBot(t, f, Options{})
	f.send(dmEnvelope("env-1", "Ev1", "UFR1", "D1", "1.1", "vérifie alice@domaine.com"))
	upd := f.waitCalls("chat.update", 1)[0]
	golden.Assert(t, "check_result_fr.json", indent(t, upd.Form.Get("blocks")))
	f.send(dmEnvelope("env-2", "Ev2", "U1", "D2", "1.2", "<!channel> configure Outlook for <mailto:x_y*z@domaine.com|x_y*z@domaine.com> <https://evil.example|click>"))
	var card apiCall
	for _, p := range f.waitCalls("chat.postMessage", 2) {
		if p.Form.Get("channel") == "D2" {
			card = p
		}
	}
	golden.Assert(t, "card_hostile_en.json", indent(t, card.Form.Get("blocks")))
}
