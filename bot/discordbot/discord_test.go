package discordbot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/internal/testbot"
)

func testOptions(t testing.TB, pause time.Duration) Options {
	t.Helper()
	r, cat := testbot.Router(t, testbot.SlowProber{Pause: pause})
	return Options{Router: r, Translator: cat, Logger: testbot.Quiet(), MaxInFlight: 256}
}

// startBot runs the real discordgo client against the fake.
func startBot(t testing.TB, f *fakeDiscord, opts Options) *Bot {
	t.Helper()
	b, err := New(Config{Token: "test-token", AppID: "APP", APIURL: f.srv.URL + "/api"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	f.waitReady("READY")
	f.waitCalls("PUT", "/applications/APP/commands", 1)
	return b
}

func body(t testing.TB, c restCall) string {
	t.Helper()
	b, _ := json.Marshal(c.Body)
	return string(b)
}

func TestCommandsRegistered(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	raw, _ := json.MarshalIndent(Commands(testOptions(t, 0).Translator), "", "  ")
	golden.Assert(t, "commands.json", string(raw)+"\n")
	if !strings.Contains(string(raw), `"fr": "configurer"`) || !strings.Contains(string(raw), `"autocomplete": true`) {
		t.Error("French names or autocomplete missing")
	}
}

func TestSlashCommandLocales(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	f.dispatch("INTERACTION_CREATE", commandInteraction("I1", "fr", "configure", map[string]string{"client": "blackberry10", "address": "alice@domaine.com"}))
	f.dispatch("INTERACTION_CREATE", commandInteraction("I2", "en-US", "configure", map[string]string{"client": "blackberry10", "address": "alice@domaine.com"}))
	f.dispatch("INTERACTION_CREATE", commandInteraction("I3", "de", "configure", map[string]string{"client": "blackberry10", "address": "alice@domaine.com"}))
	f.dispatch("INTERACTION_CREATE", commandInteraction("I4", "es-ES", "configure", map[string]string{"client": "BlackBerry", "address": "alice@domaine.com"}))
	calls := f.waitCalls("POST", "/callback", 4)
	byID := map[string]string{}
	for _, c := range calls {
		byID[c.Path] = body(t, c)
		if c.Body["type"].(float64) != 4 {
			t.Errorf("%s: response type %v", c.Path, c.Body["type"])
		}
	}
	fr, en := byID["/interactions/I1/tok-I1/callback"], byID["/interactions/I2/tok-I2/callback"]
	de, es := byID["/interactions/I3/tok-I3/callback"], byID["/interactions/I4/tok-I4/callback"]
	if !strings.Contains(fr, "Configurer BlackBerry 10") || !strings.Contains(en, "Set up BlackBerry 10") ||
		!strings.Contains(de, "BlackBerry 10 für alice@domaine.com einrichten") || !strings.Contains(es, "Configurar BlackBerry 10 para alice@domaine.com") {
		t.Errorf("fr: %.200s\nen: %.200s\nde: %.200s\nes: %.200s", fr, en, de, es)
	}
	for _, lang := range []string{"English", "Français", "Español"} {
		if !strings.Contains(de, `"label":"`+lang+`"`) {
			t.Errorf("the German answer has no %s button: %.2000s", lang, de)
		}
	}
	for _, b := range []string{fr, en, de, es} {
		if !strings.Contains(b, `"allowed_mentions":{"parse":[],"replied_user":false}`) {
			t.Errorf("no empty allowed_mentions: %.300s", b)
		}
	}
	for _, c := range calls {
		if c.Path == "/interactions/I2/tok-I2/callback" {
			raw, _ := json.MarshalIndent(c.Body["data"], "", "  ")
			golden.Assert(t, "configure_bb10_en.json", string(raw)+"\n")
		}
	}
}

func TestAutocomplete(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	i := commandInteraction("I1", "en-US", "configure", nil)
	i["type"] = 4
	i["data"].(map[string]any)["options"] = []map[string]any{{"name": "configure", "type": 1,
		"options": []map[string]any{{"name": "client", "type": 3, "value": "black", "focused": true}}}}
	f.dispatch("INTERACTION_CREATE", i)
	c := f.waitCalls("POST", "/callback", 1)[0]
	if c.Body["type"].(float64) != 8 || !strings.Contains(body(t, c), `"value":"blackberry10"`) || strings.Contains(body(t, c), "thunderbird") {
		t.Errorf("%s", body(t, c))
	}
}

func TestMentionAndDM(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "C1", "G1", "U1", "<@BOT> configure BlackBerry for alice@domaine.com", true))
	f.dispatch("MESSAGE_CREATE", messageCreate("M2", "D1", "", "U1", "comment configurer mon iPhone pour alice@domaine.com ?", false))
	f.dispatch("MESSAGE_CREATE", messageCreate("M3", "C1", "G1", "U1", "chatter without the bot", false))
	f.dispatch("MESSAGE_CREATE", messageCreate("M4", "C1", "G1", "BOT", "<@BOT> my own message", true))
	other := messageCreate("M5", "C1", "G1", "U9", "<@BOT> help", true)
	other["author"].(map[string]any)["bot"] = true
	f.dispatch("MESSAGE_CREATE", other)
	posts := f.waitCalls("POST", "/messages", 2)
	time.Sleep(150 * time.Millisecond)
	if n := len(f.callsOf("POST", "/messages")); n != 2 {
		t.Errorf("%d posts; want 2 (the mention and the DM)", n)
	}
	var guild, dm string
	for _, p := range posts {
		switch p.Path {
		case "/channels/C1/messages":
			guild = body(t, p)
		case "/channels/D1/messages":
			dm = body(t, p)
		}
	}
	if !strings.Contains(guild, "Set up BlackBerry 10") || !strings.Contains(guild, `"message_reference"`) {
		t.Errorf("mention answer: %.300s", guild)
	}
	if !strings.Contains(dm, "Configurer iPhone / iPad") {
		t.Errorf("DM answer: %.300s", dm)
	}
}

func TestCheckButtonDeferred(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 200*time.Millisecond))
	start := time.Now()
	f.dispatch("INTERACTION_CREATE", buttonInteraction("I1", "fr", idCheck+"alice@domaine.com"))
	deferral := f.waitCalls("POST", "/callback", 1)[0]
	if deferral.Body["type"].(float64) != 5 {
		t.Errorf("first response type %v, want 5 (deferred)", deferral.Body["type"])
	}
	if d := deferral.At.Sub(start); d > 150*time.Millisecond {
		t.Errorf("deferral after %s, not before the check", d)
	}
	edit := f.waitCalls("PATCH", "/webhooks/APP/tok-I1/messages/@original", 1)[0]
	if !strings.Contains(body(t, edit), "tout ce dont votre appareil a besoin fonctionne") {
		t.Errorf("edited result: %.300s", body(t, edit))
	}
	raw, _ := json.MarshalIndent(edit.Body, "", "  ")
	golden.Assert(t, "check_result_fr.json", string(raw)+"\n")
}

func TestLanguageButton(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	f.dispatch("INTERACTION_CREATE", commandInteraction("I1", "en-US", "configure", map[string]string{"client": "thunderbird", "address": "alice@domaine.com"}))
	first := f.waitCalls("POST", "/callback", 1)[0]
	var langID string
	for _, row := range first.Body["data"].(map[string]any)["components"].([]any) {
		for _, c := range row.(map[string]any)["components"].([]any) {
			if id := c.(map[string]any)["custom_id"].(string); strings.HasPrefix(id, idLang) {
				langID = id
			}
		}
	}
	f.dispatch("INTERACTION_CREATE", buttonInteraction("I2", "en-US", langID))
	upd := f.waitCalls("POST", "/callback", 2)[1]
	if upd.Body["type"].(float64) != 7 || !strings.Contains(body(t, upd), "Configurer Thunderbird") {
		t.Errorf("%v %.300s", upd.Body["type"], body(t, upd))
	}
	f.dispatch("INTERACTION_CREATE", buttonInteraction("I3", "fr", idLang+"en:nope"))
	exp := f.waitCalls("POST", "/callback", 3)[2]
	if !strings.Contains(body(t, exp), "expiré") {
		t.Errorf("expired: %.300s", body(t, exp))
	}
}

func TestReconnectAndResume(t *testing.T) {
	f := newFakeDiscord(t)
	b := startBot(t, f, testOptions(t, 0))
	_ = b
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "D1", "", "U1", "help", false))
	f.waitCalls("POST", "/messages", 1)
	// Discord asks for a reconnect; an event is dispatched while the bot
	// is away, and on resume both are replayed after its last sequence.
	f.op(7, nil)
	f.mu.Lock()
	f.seq++
	f.events = append(f.events, dispatchEvent{Seq: f.seq, Type: "MESSAGE_CREATE", Data: messageCreate("M2", "D1", "", "U1", "which clients are supported?", false)})
	f.mu.Unlock()
	f.waitReady("RESUMED")
	f.dispatch("MESSAGE_CREATE", messageCreate("M3", "D1", "", "U1", "ports", false))
	f.waitCalls("POST", "/messages", 3)
	// A replayed duplicate is answered once.
	f.dispatch("MESSAGE_CREATE", messageCreate("M3", "D1", "", "U1", "ports", false))
	time.Sleep(200 * time.Millisecond)
	if n := len(f.callsOf("POST", "/messages")); n != 3 {
		t.Errorf("%d answers, want 3", n)
	}
	f.mu.Lock()
	ids, res := f.identifies, f.resumes
	f.mu.Unlock()
	if ids != 1 || res != 1 {
		t.Errorf("identifies %d, resumes %d", ids, res)
	}
}

func TestInvalidSession(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	f.op(9, false)
	f.waitReady("READY")
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "D1", "", "U1", "help", false))
	f.waitCalls("POST", "/messages", 1)
}

func TestFatalCloseCode(t *testing.T) {
	f := newFakeDiscord(t)
	b := startBot(t, f, testOptions(t, 0))
	f.mu.Lock()
	f.closeCode = 4004
	f.mu.Unlock()
	f.op(7, nil) // reconnect: the new connection is closed with 4004
	select {
	case err := <-b.fatal:
		if !strings.Contains(err.Error(), "4004") {
			t.Errorf("err = %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("a fatal close code did not stop the bot")
	}
}

func TestRateLimited(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	f.mu.Lock()
	f.limited = 1
	f.mu.Unlock()
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "D1", "", "U1", "help", false))
	f.waitCalls("POST", "/messages", 1)
}

func TestHostileQuestion(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, testOptions(t, 0))
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "D1", "", "U1",
		"@everyone @here <@&123> configure Outlook for x_y*z@domaine.com [click](https://evil.example)", false))
	p := f.waitCalls("POST", "/messages", 1)[0]
	b := body(t, p)
	for _, bad := range []string{"@everyone", "@here", "<@&123>", "](https://evil", "[click]"} {
		if strings.Contains(b, bad) {
			t.Errorf("the answer holds %q", bad)
		}
	}
	if !strings.Contains(b, `"allowed_mentions":{"parse":[],"replied_user":false}`) {
		t.Errorf("mentions not disabled: %.300s", b)
	}
}

// TestAutomaticSharding: with no shard settings, the bot runs every shard
// /gateway/bot recommends.
func TestAutomaticSharding(t *testing.T) {
	f := newFakeDiscord(t)
	f.shards = 2
	b, err := New(Config{Token: "test-token", AppID: "APP", APIURL: f.srv.URL + "/api"}, testOptions(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	defer func() { cancel(); <-done }()
	f.waitReady("READY")
	f.waitReady("READY")
	f.mu.Lock()
	got := strings.Join(f.shardIDs, " ")
	f.mu.Unlock()
	if !strings.Contains(got, "[0 2]") || !strings.Contains(got, "[1 2]") {
		t.Errorf("identified shards %q", got)
	}
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "D1", "", "U1", "help", false))
	f.waitCalls("POST", "/messages", 1)
	waitFor(t, "all shards connected", b.Connected)
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestClaimsHintTheConversation: each claim of a mention or a direct
// message names the conversation its answer recalls
// (bot.WithRecallHint), so that a shared store fetches it with the
// claim; a guild message not for the bot is not claimed.
func TestClaimsHintTheConversation(t *testing.T) {
	f := newFakeDiscord(t)
	hints := testbot.NewHints()
	r, cat := testbot.RouterWith(t, testbot.SlowProber{}, hints.Memory())
	startBot(t, f, Options{Router: r, Translator: cat, Logger: testbot.Quiet(), Deliveries: hints.Deliveries()})
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "C1", "G1", "U1", "<@BOT> which ports?", true))
	f.dispatch("MESSAGE_CREATE", messageCreate("M2", "D1", "", "U2", "which ports?", false))
	f.dispatch("MESSAGE_CREATE", messageCreate("M3", "C1", "G1", "U3", "chatter without the bot", false))
	f.waitCalls("POST", "/messages", 2)
	waitFor(t, "two recalls", func() bool { return len(hints.Recalled()) == 2 })
	time.Sleep(100 * time.Millisecond)
	if got, want := hints.Hinted(), hints.Recalled(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("claims hinted %q; the answers recalled %q", got, want)
	}
}
