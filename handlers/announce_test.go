package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
)

// announceRouter serves announcements under pol, keeping previews in
// prev (nil for a new store).
func announceRouter(t *testing.T, pol *AnnouncePolicy, prev *Previews) (*bot.Router, *Announcements) {
	t.Helper()
	cfg, cat := testSetup(t)
	pol.Translator = cat
	if prev == nil {
		prev = &Previews{}
	}
	an := NewAnnouncements(prev, pol)
	r := bot.NewRouter(bot.RouterOptions{Translator: cat, Parser: cat.Parser()})
	Register(r, Deps{Directory: cfg.Directory, Announcements: an, Translator: cat})
	return r, an
}

func TestAnnounceAuthorization(t *testing.T) {
	r, _ := announceRouter(t, &AnnouncePolicy{Admins: map[string]config.AdminSet{
		"slack":   {Users: []string{"UADMIN"}, Roles: []string{"SADMINS"}},
		"discord": {Users: []string{"111"}, Roles: []string{"222"}, ManageServer: true},
	}}, nil)
	tests := []struct {
		platform, user string
		roles          []string
		allowed        bool
	}{
		{"slack", "UADMIN", nil, true},
		{"slack", "UOTHER", []string{"SADMINS"}, true},
		{"slack", "UOTHER", []string{"SOTHER"}, false},
		{"slack", "", nil, false},
		{"discord", "111", nil, true},
		{"discord", "999", []string{bot.RoleManageServer}, true},
		{"discord", "999", []string{"222"}, true},
		{"discord", "999", []string{"333"}, false},
		{"discord", "UADMIN", nil, false}, // a Slack admin is not a Discord one
		{"web", "203.0.113.9", nil, false},
		{"cli", "cli", nil, false},
	}
	for _, tc := range tests {
		reply := r.Serve(context.Background(), &bot.Request{Text: "announce domaine.com in #it", Channel: "C1", Platform: tc.platform, UserID: tc.user, Roles: tc.roles})
		preview := reply.Announcement != nil
		if preview != tc.allowed || (!tc.allowed && reply.Code != "not_admin") {
			t.Errorf("%s %s %v: preview %v code %q", tc.platform, tc.user, tc.roles, preview, reply.Code)
		}
	}
	fr := r.Serve(context.Background(), &bot.Request{Text: "annonce domaine.com dans le canal", Channel: "C1", Platform: "slack", UserID: "UNOBODY"})
	if !strings.Contains(fr.Title, "seuls les administrateurs") {
		t.Errorf("refusal in French: %q", fr.Title)
	}
}

func TestAnnounceFlow(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	trail := &memTrail{}
	r, an := announceRouter(t, &AnnouncePolicy{Admins: map[string]config.AdminSet{"slack": {Users: []string{"UADMIN"}}},
		Audit: trail, Expiry: 5 * time.Minute, ChannelLang: map[string][]string{"CFR": {"fr"}}, PublicURL: "https://help.domaine.com"},
		&Previews{Now: func() time.Time { return now }})
	ask := func(text, channel string) *bot.Reply {
		return r.Serve(context.Background(), &bot.Request{Text: text, Channel: channel, Platform: "slack", UserID: "UADMIN"})
	}
	for _, tc := range []struct{ text, channel, code string }{
		{"announce in", "C1", "no_domain"},
		{"announce domaine.com", "", "no_channel"},
		{"announce nowhere.example in", "C1", "unknown_domain"},
	} {
		if got := ask(tc.text, tc.channel).Code; got != tc.code {
			t.Errorf("%q: code %q, want %q", tc.text, got, tc.code)
		}
	}

	// Preview -> confirm: the card is in the channel's language.
	prev := ask("announce domaine.com in", "CFR")
	ann := prev.Announcement
	if ann == nil || !strings.Contains(prev.Intro, "5 minutes") {
		t.Fatalf("preview %+v", prev)
	}
	if ann.Cards[0].Lang != "fr" || ann.Cards[0].Title != "Réglages de messagerie pour domaine.com" || ann.Channel != "CFR" {
		t.Errorf("card %q in %q for %q", ann.Cards[0].Title, ann.Cards[0].Lang, ann.Channel)
	}
	var guide bool
	for _, l := range ann.Cards[0].Links {
		guide = guide || l.URL == "https://help.domaine.com/fr/blackberry10?domain=domaine.com"
	}
	if !guide {
		t.Errorf("no guide link: %+v", ann.Cards[0].Links)
	}
	if _, err := an.Confirm(context.Background(), ann.ID, "slack", "USOMEONE"); !errors.Is(err, bot.ErrAnnouncementNotYours) {
		t.Errorf("someone else confirmed: %v", err)
	}
	got, err := an.Confirm(context.Background(), ann.ID, "slack", "UADMIN")
	if err != nil || got != ann {
		t.Fatalf("confirm: %v", err)
	}
	an.Posted(context.Background(), got, nil)
	if _, err := an.Confirm(context.Background(), ann.ID, "slack", "UADMIN"); !errors.Is(err, bot.ErrAnnouncementUnknown) {
		t.Errorf("confirmed twice: %v", err)
	}

	// Cancel.
	c := ask("announce domaine.com in", "C1").Announcement
	if err := an.Cancel(context.Background(), c.ID, "slack", "UADMIN"); err != nil {
		t.Errorf("cancel: %v", err)
	}
	if _, err := an.Confirm(context.Background(), c.ID, "slack", "UADMIN"); !errors.Is(err, bot.ErrAnnouncementUnknown) {
		t.Errorf("confirmed after cancel: %v", err)
	}

	// Expiry.
	e := ask("announce domaine.com in", "C1").Announcement
	now = now.Add(6 * time.Minute)
	if _, err := an.Confirm(context.Background(), e.ID, "slack", "UADMIN"); !errors.Is(err, bot.ErrAnnouncementUnknown) {
		t.Errorf("confirmed after expiry: %v", err)
	}

	var results []string
	for _, en := range trail.entries {
		results = append(results, en.Action+":"+en.Result)
	}
	if want := "announce:refused:not_yours announce:posted announce:refused:expired announce:cancelled announce:refused:expired announce:refused:expired"; strings.Join(results, " ") != want {
		t.Errorf("audit:\n%s\nwant\n%s", strings.Join(results, " "), want)
	}
}

func TestChangeAnnouncement(t *testing.T) {
	_, an := announceRouter(t, &AnnouncePolicy{Admins: map[string]config.AdminSet{"slack": {Users: []string{"UA", "UB"}}}}, nil)
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := cfg.Directory.Lookup("domaine.com")
	ann, preview := an.PrepareChange(context.Background(), "slack", "CNEWS", d, []ChangeLine{{Field: "host", Old: "bm.domaine.com", New: "mail.domaine.com"}}, "fr")
	if preview.Announcement != ann || ann.Cards[0].Settings[0].Fields[0].Value != "bm.domaine.com → mail.domaine.com" ||
		!strings.Contains(ann.Cards[0].Title, "changent pour domaine.com") {
		t.Fatalf("card %+v", ann.Cards[0])
	}
	if _, err := an.Confirm(context.Background(), ann.ID, "slack", "UNOBODY"); !errors.Is(err, bot.ErrAnnouncementNotYours) {
		t.Errorf("a non-admin confirmed: %v", err)
	}
	if got, err := an.Confirm(context.Background(), ann.ID, "slack", "UB"); err != nil || got != ann {
		t.Errorf("an admin could not confirm: %v", err)
	}
	if got := an.Policy().AdminUsers("slack"); len(got) != 2 {
		t.Errorf("admins %v", got)
	}
}
