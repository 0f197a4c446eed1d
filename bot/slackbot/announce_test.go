package slackbot

import (
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/locales"
)

func startAnnounceBot(t *testing.T, f *fakeSlack) *handlers.Announcements {
	t.Helper()
	cfg, err := config.Parse([]byte(testbot.Config))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	an := handlers.NewAnnouncements(&handlers.Previews{}, &handlers.AnnouncePolicy{
		Admins:     map[string]config.AdminSet{"slack": {Users: []string{"UADMIN"}, Roles: []string{"S1"}}},
		Translator: cat, ChannelLang: map[string][]string{"CNEWS": {"fr"}, "CBOTH": {"fr", "en"}, "CHALF": {"fr", "en"}}})
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), Logger: testbot.Quiet()})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Announcements: an, Translator: cat})
	startBotWith(t, f, Options{Router: r, Translator: cat, Announcements: an, AdminGroups: func() []string { return []string{"S1"} }})
	return an
}

// previewID finds the announcement id in a preview's Post button.
func previewID(t *testing.T, c apiCall) string {
	t.Helper()
	text := blocksText(t, c)
	i := strings.Index(text, `"action_id":"mailhelp_announce_post"`)
	if i < 0 {
		t.Fatalf("no Post button: %s", text)
	}
	rest := text[i:]
	j := strings.Index(rest, `"value":"`) + len(`"value":"`)
	return rest[j : j+strings.Index(rest[j:], `"`)]
}

func TestAnnounceInSlack(t *testing.T) {
	f := newFakeSlack(t)
	startAnnounceBot(t, f)

	// A non-admin is refused, privately.
	f.send(mentionEnvelope("env-0", "Ev0", "UNOBODY", "C1", "1.0", "<@UBOT> announce domaine.com in <#CNEWS|annonces>"))
	refusal := f.waitCalls("chat.postEphemeral", 1)[0]
	if refusal.Form.Get("user") != "UNOBODY" || !strings.Contains(blocksText(t, refusal), "only mailhelp") {
		t.Errorf("refusal: %s", blocksText(t, refusal))
	}

	// An admin (by group) gets a private preview; Post publishes the card
	// in the channel's language, then the preview says so.
	f.send(mentionEnvelope("env-1", "Ev1", "UGROUP", "C1", "1.1", "<@UBOT> announce domaine.com in <#CNEWS|annonces>"))
	preview := f.waitCalls("chat.postEphemeral", 2)[1]
	if preview.Form.Get("user") != "UGROUP" || !strings.Contains(blocksText(t, preview), "Preview: mail settings for domaine.com") {
		t.Fatalf("preview: %s", blocksText(t, preview))
	}
	if n := len(f.callsOf("chat.postMessage")); n != 0 {
		t.Fatalf("%d posts before confirmation", n)
	}
	id := previewID(t, preview)
	f.send(buttonEnvelope(f, "env-2", "trig-2", "UGROUP", actionAnnouncePost, id, "1.2"))
	card := f.waitCalls("chat.postMessage", 1)[0]
	if card.Form.Get("channel") != "CNEWS" || !strings.Contains(blocksText(t, card), "Réglages de messagerie pour domaine.com") {
		t.Errorf("card: %s %s", card.Form.Get("channel"), blocksText(t, card))
	}
	done := f.waitCalls("response_url", 1)[0]
	if done.JSON["replace_original"] != true || !strings.Contains(blocksText(t, done), "Posted.") {
		t.Errorf("after post: %s", blocksText(t, done))
	}
	// The same button again: already handled.
	f.send(buttonEnvelope(f, "env-3", "trig-3", "UGROUP", actionAnnouncePost, id, "1.2"))
	if again := f.waitCalls("response_url", 2)[1]; !strings.Contains(blocksText(t, again), "expired or was already handled") {
		t.Errorf("second post: %s", blocksText(t, again))
	}
}

func TestAnnounceCancelAndFailure(t *testing.T) {
	f := newFakeSlack(t)
	startAnnounceBot(t, f)
	f.send(mentionEnvelope("env-1", "Ev1", "UADMIN", "C1", "1.1", "<@UBOT> announce domaine.com in <#CNEWS|annonces>"))
	id := previewID(t, f.waitCalls("chat.postEphemeral", 1)[0])
	f.send(buttonEnvelope(f, "env-2", "trig-2", "UADMIN", actionAnnounceCancel, id, "1.2"))
	if c := f.waitCalls("response_url", 1)[0]; !strings.Contains(blocksText(t, c), "Announcement cancelled") {
		t.Errorf("cancel: %s", blocksText(t, c))
	}
	// A channel the bot cannot post in: the admin is told why.
	f.send(mentionEnvelope("env-3", "Ev3", "UADMIN", "C1", "1.3", "<@UBOT> announce domaine.com in <#CFAIL|secret>"))
	id = previewID(t, f.waitCalls("chat.postEphemeral", 2)[1])
	f.send(buttonEnvelope(f, "env-4", "trig-4", "UADMIN", actionAnnouncePost, id, "1.4"))
	if c := f.waitCalls("response_url", 2)[1]; !strings.Contains(blocksText(t, c), "could not be posted: not_in_channel") {
		t.Errorf("failure: %s", blocksText(t, c))
	}
	if n := len(f.callsOf("chat.postMessage")); n != 0 {
		t.Errorf("%d posts", n)
	}
	// The second language's message fails: the admin learns that the
	// first went out.
	f.send(mentionEnvelope("env-5", "Ev5", "UADMIN", "C1", "1.5", "<@UBOT> announce domaine.com in <#CHALF|both>"))
	id = previewID(t, f.waitCalls("chat.postEphemeral", 3)[2])
	f.send(buttonEnvelope(f, "env-6", "trig-6", "UADMIN", actionAnnouncePost, id, "1.6"))
	if c := f.waitCalls("response_url", 3)[2]; !strings.Contains(blocksText(t, c), "Only 1 of the 2 messages were posted: not_in_channel") {
		t.Errorf("partial failure: %s", blocksText(t, c))
	}
}

// TestAnnounceInSeveralLanguages: a channel with two languages gets the
// card in each, in the configured order, and the preview says so.
func TestAnnounceInSeveralLanguages(t *testing.T) {
	f := newFakeSlack(t)
	startAnnounceBot(t, f)
	f.send(mentionEnvelope("env-1", "Ev1", "UADMIN", "C1", "1.1", "<@UBOT> announce domaine.com in <#CBOTH|both>"))
	preview := f.waitCalls("chat.postEphemeral", 1)[0]
	if !strings.Contains(blocksText(t, preview), "It is posted in Français, English: one message each") {
		t.Errorf("preview: %s", blocksText(t, preview))
	}
	f.send(buttonEnvelope(f, "env-2", "trig-2", "UADMIN", actionAnnouncePost, previewID(t, preview), "1.2"))
	cards := f.waitCalls("chat.postMessage", 2)
	if !strings.Contains(blocksText(t, cards[0]), "Réglages de messagerie pour domaine.com") ||
		!strings.Contains(blocksText(t, cards[1]), "Mail settings for domaine.com") {
		t.Errorf("cards: %s\n%s", blocksText(t, cards[0]), blocksText(t, cards[1]))
	}
	if done := f.waitCalls("response_url", 1)[0]; !strings.Contains(blocksText(t, done), "Posted.") {
		t.Errorf("after post: %s", blocksText(t, done))
	}
}
