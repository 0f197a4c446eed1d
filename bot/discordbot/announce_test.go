package discordbot

import (
	"context"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/handlers"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/locales"
)

func announceOptions(t *testing.T) Options {
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
		Admins:     map[string]config.AdminSet{"discord": {Users: []string{"111"}, Roles: []string{"ROLE_IT"}, ManageServer: true}},
		Translator: cat, ChannelLang: map[string][]string{"CHBOTH": {"fr", "en"}}})
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser(), Logger: testbot.Quiet()})
	handlers.Register(r, handlers.Deps{Directory: cfg.Directory, Announcements: an, Translator: cat})
	return Options{Router: r, Translator: cat, Logger: testbot.Quiet(), Announcements: an}
}

func announceInteraction(id, user string, roles []string, perms string, channel string) map[string]any {
	i := commandInteraction(id, "en-US", "announce", map[string]string{"domain": "domaine.com"})
	data := i["data"].(map[string]any)
	sub := data["options"].([]map[string]any)[0]
	sub["options"] = append(sub["options"].([]map[string]any), map[string]any{"name": "channel", "type": 7, "value": channel})
	i["member"] = map[string]any{"user": map[string]any{"id": user, "username": "someone"}, "roles": roles, "permissions": perms}
	return i
}

// customIDs lists the buttons of a callback.
func customIDs(c restCall) []string {
	var ids []string
	data, _ := c.Body["data"].(map[string]any)
	rows, _ := data["components"].([]any)
	for _, row := range rows {
		for _, comp := range row.(map[string]any)["components"].([]any) {
			ids = append(ids, comp.(map[string]any)["custom_id"].(string))
		}
	}
	return ids
}

func TestAnnounceInDiscord(t *testing.T) {
	f := newFakeDiscord(t)
	startBot(t, f, announceOptions(t))
	// Not an admin: a private refusal.
	f.dispatch("INTERACTION_CREATE", announceInteraction("I1", "999", nil, "0", "CH1"))
	c := f.waitCalls("POST", "/callback", 1)[0]
	if data := c.Body["data"].(map[string]any); data["flags"].(float64) != 64 || !strings.Contains(body(t, c), "only mailhelp") {
		t.Errorf("refusal: %s", body(t, c))
	}
	// Admins by role and by Manage Server (0x20): private previews.
	f.dispatch("INTERACTION_CREATE", announceInteraction("I2", "555", []string{"ROLE_IT"}, "0", "CH1"))
	f.dispatch("INTERACTION_CREATE", announceInteraction("I3", "666", nil, "32", "FAIL"))
	calls := f.waitCalls("POST", "/callback", 3)
	var post2, post3 string
	for _, c := range calls[1:] {
		ids := customIDs(c)
		if len(ids) != 2 || !strings.Contains(body(t, c), "Preview: mail settings for domaine.com") {
			t.Fatalf("preview: %s", body(t, c))
		}
		if strings.Contains(c.Path, "I2") {
			post2 = ids[0]
		} else {
			post3 = ids[0]
		}
	}
	if n := len(f.callsOf("POST", "/messages")); n != 0 {
		t.Fatalf("%d posts before confirmation", n)
	}
	// Someone else cannot press it; the admin can, once.
	other := buttonInteraction("I4", "en-US", post2)
	other["member"] = map[string]any{"user": map[string]any{"id": "777"}}
	f.dispatch("INTERACTION_CREATE", other)
	if c := f.waitCalls("POST", "/callback", 4)[3]; !strings.Contains(body(t, c), "Only the administrator who asked") {
		t.Errorf("not yours: %s", body(t, c))
	}
	mine := buttonInteraction("I5", "en-US", post2)
	mine["member"] = map[string]any{"user": map[string]any{"id": "555"}}
	f.dispatch("INTERACTION_CREATE", mine)
	card := f.waitCalls("POST", "/channels/CH1/messages", 1)[0]
	if !strings.Contains(body(t, card), "Mail settings for domaine.com") || !strings.Contains(body(t, card), `"parse":[]`) {
		t.Errorf("card: %s", body(t, card))
	}
	if c := f.waitCalls("POST", "/callback", 5)[4]; c.Body["type"].(float64) != 7 || !strings.Contains(body(t, c), "Posted.") {
		t.Errorf("after post: %s", body(t, c))
	}
	// A channel the bot cannot write to: the admin hears why.
	failing := buttonInteraction("I6", "en-US", post3)
	failing["member"] = map[string]any{"user": map[string]any{"id": "666"}}
	f.dispatch("INTERACTION_CREATE", failing)
	if c := f.waitCalls("POST", "/callback", 6)[5]; !strings.Contains(body(t, c), "Missing Access") {
		t.Errorf("failure: %s", body(t, c))
	}
	// By mention, the bot points to the private command.
	f.dispatch("MESSAGE_CREATE", messageCreate("M1", "C1", "G1", "111", "<@BOT> announce domaine.com in <#CH1>", true))
	if m := f.waitCalls("POST", "/channels/C1/messages", 1)[0]; !strings.Contains(body(t, m), "/mailhelp announce") {
		t.Errorf("hint: %s", body(t, m))
	}
}

// TestNotifyAdminsInDiscord: a change announcement reaches the admin in
// a DM with Post; pressing it posts the card in each of the channel's
// languages, in order.
func TestNotifyAdminsInDiscord(t *testing.T) {
	for _, tc := range []struct {
		channel string
		preview []string
		cards   []string
	}{
		{"CHNEWS", []string{"bm.domaine.com → mail.domaine.com"}, []string{"Mail settings changed for domaine.com"}},
		{"CHBOTH", []string{"bm.domaine.com → mail.domaine.com", "posted in Français, English"},
			[]string{"changent pour domaine.com", "Mail settings changed for domaine.com"}},
	} {
		t.Run(tc.channel, func(t *testing.T) {
			f := newFakeDiscord(t)
			opts := announceOptions(t)
			b := startBot(t, f, opts)
			an := opts.Announcements.(*handlers.Announcements)
			cfg, _ := config.Parse([]byte(testbot.Config))
			d, _ := cfg.Directory.Lookup("domaine.com")
			ann, preview := an.PrepareChange(context.Background(), "discord", tc.channel, d,
				[]handlers.ChangeLine{{Field: "host", Old: "bm.domaine.com", New: "mail.domaine.com"}}, "en")
			if err := b.Adapter.NotifyAdmins(context.Background(), an.Policy().AdminUsers("discord"), preview, ann); err != nil {
				t.Fatal(err)
			}
			dm := body(t, f.waitCalls("POST", "/channels/DM-111/messages", 1)[0])
			for _, want := range append(tc.preview, idAnnounce+"post:"+ann.ID) {
				if !strings.Contains(dm, want) {
					t.Fatalf("DM lacks %q: %s", want, dm)
				}
			}
			press := buttonInteraction("I1", "en-US", idAnnounce+"post:"+ann.ID)
			delete(press, "member")
			delete(press, "guild_id")
			press["user"] = map[string]any{"id": "111", "username": "admin"}
			f.dispatch("INTERACTION_CREATE", press)
			cards := f.waitCalls("POST", "/channels/"+tc.channel+"/messages", len(tc.cards))
			for i, want := range tc.cards {
				if !strings.Contains(body(t, cards[i]), want) {
					t.Errorf("card %d lacks %q: %s", i, want, body(t, cards[i]))
				}
			}
		})
	}
}

func TestTellAdminsInDiscord(t *testing.T) {
	f := newFakeDiscord(t)
	b := startBot(t, f, announceOptions(t))
	if err := b.Adapter.TellAdmins(context.Background(), []string{"111"}, "refused: line 3: *hots* @everyone"); err != nil {
		t.Fatal(err)
	}
	got := body(t, f.waitCalls("POST", "/channels/DM-111/messages", 1)[0])
	if !strings.Contains(got, `\\*hots\\*`) || !strings.Contains(got, `"allowed_mentions":{"parse":[]`) {
		t.Errorf("DM: %s", got)
	}
}
