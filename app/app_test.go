package app

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/config"
)

func mustConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestReloadKeepsPreviews: a reload serves the new configuration, keeps
// a pending preview confirmable, and applies the new admins to it.
func TestReloadKeepsPreviews(t *testing.T) {
	trail := filepath.Join(t.TempDir(), "audit.jsonl")
	base := "audit:\n  file: " + trail + "\ndomains:\n  - domain: domaine.com\n    host: bm.domaine.com\n"
	a, err := New(mustConfig(t, base+"admins:\n  slack:\n    users: [UADMIN]\n"), Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ask := func(text string) *bot.Reply {
		return a.Answerer().Serve(context.Background(), &bot.Request{Text: text, Channel: "C1", Platform: "slack", UserID: "UADMIN"})
	}
	prev := ask("announce domaine.com")
	if prev.Announcement == nil {
		t.Fatalf("no preview: %+v", prev)
	}
	// A configuration that cannot be built is refused; the running one
	// stays.
	bad := base + "check:\n  enabled: true\n  ca_file: " + filepath.Join(t.TempDir(), "missing.pem") + "\n"
	if _, err := a.Reload(mustConfig(t, bad), "test"); err == nil || !strings.Contains(err.Error(), "ca_file") {
		t.Fatalf("a configuration with a missing CA file: %v", err)
	}
	if a.Config().Check.CAFile != "" {
		t.Error("the refused configuration is running")
	}
	next := base + "  - domain: exemple.fr\n    host: mail.exemple.fr\n    language: fr\nadmins:\n  slack:\n    users: [UADMIN]\n"
	if _, err := a.Reload(mustConfig(t, next), "test"); err != nil {
		t.Fatal(err)
	}
	if r := ask("bb10 jean@exemple.fr"); r.Lang != "fr" || !strings.Contains(r.Title, "jean@exemple.fr") {
		t.Errorf("the new domain is not served: %s %q", r.Lang, r.Title)
	}
	if _, err := a.Announcements().Confirm(context.Background(), prev.Announcement.ID, "slack", "UADMIN"); err != nil {
		t.Errorf("the preview did not survive the reload: %v", err)
	}
}

// TestCheckRefusals: the command line's check refuses what is not a
// target, and a domain it does not know, without dialling.
func TestCheckRefusals(t *testing.T) {
	a, err := New(mustConfig(t, "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\naudit:\n  file: off\n"), Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for target, code := range map[string]string{
		"imap://bm.domaine.com": bot.CodeBadTarget,
		"bob@nowhere.example":   bot.CodeUnknownDomain,
	} {
		r, err := a.Check(context.Background(), CheckRequest{Target: target, Lang: "de"})
		if err != nil || r.Code != code || r.Check != nil || r.Lang != "de" {
			t.Errorf("%s: %v %+v, want code %s in German", target, err, r, code)
		}
	}
}

// TestAnnouncementForTheCommandLine: the card is in the flag's language,
// else the channel's.
func TestAnnouncementForTheCommandLine(t *testing.T) {
	a, err := New(mustConfig(t, "domains:\n  - domain: domaine.com\n    host: bm.domaine.com\naudit:\n  file: off\n"+
		"announce:\n  channels:\n    CBOTH: [es, de]\n"), Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ann, err := a.Announcement("domaine.com", "CBOTH", "")
	if err != nil || len(ann.Cards) != 2 || ann.Cards[0].Lang != "es" || ann.Cards[1].Lang != "de" {
		t.Fatalf("%v %+v", err, ann)
	}
	ann, err = a.Announcement("domaine.com", "CBOTH", "fr")
	if err != nil || len(ann.Cards) != 1 || ann.Cards[0].Lang != "fr" {
		t.Fatalf("%v %+v", err, ann)
	}
	if _, err := a.Announcement("nowhere.example", "C1", ""); err == nil {
		t.Error("an unknown domain was announced")
	}
	if _, err := a.Announcement("domaine.com", "C1", "xx"); err == nil {
		t.Error("an unknown language was accepted")
	}
}
