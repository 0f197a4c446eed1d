package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/golden"
	"github.com/mailhelp/mailhelp/knowledge"
	"github.com/mailhelp/mailhelp/locales"
)

// testConfig has the demo domain plus one with overridden endpoints.
const testConfig = `
default_language: en
domains:
  - domain: domaine.com
    host: bm.domaine.com
    webmail: https://bm.domaine.com
    support: support@domaine.com
    language: fr
  - domain: example.org
    aliases: [paris.example.org]
    host: mail.example.org
    imap: {port: 143}
    smtp: {host: smtp.example.org, port: 465}
`

// testSetup parses testConfig and loads the messages.
func testSetup(t testing.TB) (*config.Config, *locales.Catalog) {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg, cat
}

func newRouter(t testing.TB) *bot.Router {
	t.Helper()
	return newCheckRouter(t, nil, nil)
}

func ask(t testing.TB, r *bot.Router, text, lang string) *bot.Reply {
	t.Helper()
	return r.Serve(context.Background(), &bot.Request{Text: text, ForceLang: lang, Platform: "test"})
}

// TestGolden renders whole answers: the BlackBerry guide and the settings
// card in both languages and every format, and the other intents.
func TestGolden(t *testing.T) {
	r := newRouter(t)
	tests := []struct {
		name, text, lang string
	}{
		{"bb10_en", "configure BlackBerry for alice@domaine.com", "en"},
		{"bb10_fr", "Comment configurer mon BlackBerry pour alice@domaine.com ?", "fr"},
		{"card_thunderbird_en", "configure Thunderbird for alice@domaine.com", "en"},
		{"card_thunderbird_fr", "configurer Thunderbird pour alice@domaine.com", "fr"},
		{"bb10_no_address_en", "configure BlackBerry", "en"},
		{"bb10_unknown_domain_fr", "configurer mon BlackBerry pour jean@inconnu.fr", "fr"},
		{"bb10_overrides_en", "configure BlackBerry for bob+phone@paris.example.org", "en"},
		{"which_device_fr", "alice@domaine.com", "fr"},
		{"check_fr", "vérifie alice@domaine.com", "fr"},
		{"check_host_en", "check bm.domaine.com", "en"},
		{"ports_outgoing_fr", "quel port pour le serveur sortant ?", "fr"},
		{"ports_en", "which ports and security?", "en"},
		{"clients_en", "which clients are supported?", "en"},
		{"help_fr", "aide", "fr"},
		{"bb10_de", "Wie richte ich mein BlackBerry für alice@domaine.com ein?", "de"},
		{"bb10_es", "¿Cómo configuro mi BlackBerry para alice@domaine.com?", "es"},
		{"card_thunderbird_de", "Thunderbird für alice@domaine.com einrichten", "de"},
		{"card_thunderbird_es", "configurar Thunderbird para alice@domaine.com", "es"},
		{"ports_outgoing_de", "Welcher Port für den Postausgangsserver?", "de"},
		{"ports_outgoing_es", "¿Qué puerto para el servidor de salida?", "es"},
		{"help_de", "hilfe", "de"},
		{"help_es", "ayuda", "es"},
		{"unknown_en", "what's the weather like?", "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reply := ask(t, r, tc.text, "")
			if reply.Lang != tc.lang {
				t.Errorf("lang = %q, want %q", reply.Lang, tc.lang)
			}
			text := render.Text(reply)
			md := render.Markdown(reply)
			js, err := render.JSON(render.AnswerOf(reply))
			if err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{text, md, string(js)} {
				if strings.Contains(out, "<no value>") {
					t.Errorf("a template lacks data:\n%s", out)
				}
			}
			golden.Assert(t, tc.name+".txt", text)
			golden.Assert(t, tc.name+".md", md)
			golden.Assert(t, tc.name+".json", string(js))
		})
	}
}

// TestGuideFollowsSeed checks the BlackBerry guide's order against the
// seed: menu, Settings, Email Accounts, Add account, account type, address
// and Next, IMAP, the fields, Done, the certificate, the Hub.
func TestGuideFollowsSeed(t *testing.T) {
	r := newRouter(t)
	reply := ask(t, r, "configure BlackBerry for alice@domaine.com", "en")
	var all []string
	for _, s := range reply.Steps {
		line := s.Text
		for _, f := range s.Fields {
			line += " | " + f.Label + "=" + f.Value
		}
		all = append(all, line)
	}
	text := strings.Join(all, "\n")
	order := []string{"menu", "“Settings”", "“Email Accounts”", "“Add account”", "“Email, Calendar and Contacts”",
		"“Next”", "“IMAP”", "“Description”", "“Your Name”", "“Username”=alice@domaine.com",
		"Server=bm.domaine.com", "Port=993", "Security=SSL", "Port=587", "Security=TLS",
		"“Use push if supported”", "“Append messages to send folder”", "“Sync interval”", "“Sync timeframe”",
		"“Roaming”", "“Cellular”", "“Wi-Fi”", "“Done”", "certificate", "Hub"}
	at := 0
	for _, want := range order {
		i := strings.Index(text[at:], want)
		if i < 0 {
			t.Fatalf("%q missing or out of order after offset %d in:\n%s", want, at, text)
		}
		at += i + len(want)
	}
}

func TestAnswers(t *testing.T) {
	r := newRouter(t)
	tests := []struct {
		name, text string
		check      func(t *testing.T, rep *bot.Reply)
	}{
		{"domain overrides reach the guide", "configure BlackBerry for bob@example.org", func(t *testing.T, rep *bot.Reply) {
			in, out := rep.Steps[8].Fields, rep.Steps[9].Fields
			if in[0].Value != "mail.example.org" || in[1].Value != "143" || in[2].Value != "TLS" {
				t.Errorf("incoming = %+v", in)
			}
			if out[0].Value != "smtp.example.org" || out[1].Value != "465" || out[2].Value != "SSL" {
				t.Errorf("outgoing = %+v", out)
			}
		}},
		{"aliases resolve to their domain", "configure BlackBerry for bob@paris.example.org", func(t *testing.T, rep *bot.Reply) {
			if rep.About.Host != "mail.example.org" {
				t.Errorf("host = %q", rep.About.Host)
			}
		}},
		{"sub-address logs in without its tag", "configure BlackBerry for bob+phone@example.org", func(t *testing.T, rep *bot.Reply) {
			if got := rep.Steps[7].Fields[2].Value; got != "bob@example.org" {
				t.Errorf("username = %q", got)
			}
			if !hasNote(rep, "bob@example.org") {
				t.Errorf("no sub-address note: %+v", rep.Notes)
			}
		}},
		{"unknown domain: placeholder, never a guess", "configure BlackBerry for jo@nowhere.example", func(t *testing.T, rep *bot.Reply) {
			if got := rep.Steps[8].Fields[0].Value; strings.Contains(got, "nowhere") {
				t.Errorf("server %q is a guess", got)
			}
			if rep.About.Host != "" || len(rep.Links) != 0 || len(rep.Actions) != 0 { // no check of an unknown domain: it would be refused
				t.Errorf("about = %+v links = %v actions = %v", rep.About, rep.Links, rep.Actions)
			}
		}},
		{"check says no check ran", "check alice@domaine.com", func(t *testing.T, rep *bot.Reply) {
			if !hasNote(rep, "No connection was made") || rep.Code != "" {
				t.Errorf("notes = %+v code = %q", rep.Notes, rep.Code)
			}
		}},
		{"check of an unknown host says so", "check mail.unknown.example", func(t *testing.T, rep *bot.Reply) {
			if !hasNote(rep, "mail.unknown.example is not a server") {
				t.Errorf("notes = %+v", rep.Notes)
			}
		}},
		{"many addresses: plural note", "configure BlackBerry for a@domaine.com b@domaine.com", func(t *testing.T, rep *bot.Reply) {
			if !hasNote(rep, "2 addresses; this answer is for the first one, a@domaine.com") {
				t.Errorf("notes = %+v", rep.Notes)
			}
		}},
		{"port 25 explained", "is port 25 ok?", func(t *testing.T, rep *bot.Reply) {
			if !hasNote(rep, "“My networks”") {
				t.Errorf("notes = %+v", rep.Notes)
			}
		}},
		{"incoming ports only", "which port for imap?", func(t *testing.T, rep *bot.Reply) {
			if len(rep.Settings) != 1 || !strings.Contains(rep.Settings[0].Title, "IMAP") {
				t.Errorf("settings = %+v", rep.Settings)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, ask(t, r, tc.text, "")) })
	}
}

// TestActionPhrasesRoundTrip: every phrase an answer suggests must be
// understood as the action it stands for, in both languages.
func TestActionPhrasesRoundTrip(t *testing.T) {
	r := newRouter(t)
	want := map[bot.ActionKind]bot.Intent{
		bot.ActionCheck:     bot.IntentCheck,
		bot.ActionConfigure: bot.IntentConfigure,
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	parser := cat.Parser()
	for _, lang := range cat.Languages() {
		for _, text := range []string{"help", "alice@domaine.com", "which clients?", "configure BlackBerry for alice@domaine.com"} {
			rep := ask(t, r, text, lang)
			for _, a := range rep.Actions {
				p := parser.Parse(a.Phrase)
				if w, ok := want[a.Kind]; ok && p.Intent != w {
					t.Errorf("%s: %q parses as %q, want %q", lang, a.Phrase, p.Intent, w)
				}
				if a.Kind == bot.ActionConfigure && p.Client == "" {
					t.Errorf("%s: %q names no client", lang, a.Phrase)
				}
				if p.Lang != "" && p.Lang != lang {
					t.Errorf("%q reads as %q, want %q", a.Phrase, p.Lang, lang)
				}
			}
		}
	}
}

// TestEveryClientAnswers: each known client gets a guide or a card.
func TestEveryClientAnswers(t *testing.T) {
	r := newRouter(t)
	for _, c := range knowledge.Clients() {
		for _, lang := range []string{"en", "fr"} {
			rep := ask(t, r, "configure "+c.Name+" for alice@domaine.com", lang)
			if rep.About.Client != string(c.ID) {
				t.Errorf("%s/%s: client = %q", c.ID, lang, rep.About.Client)
			}
			if c.HasGuide() != (len(rep.Steps) > 0) || len(rep.Settings) != 2 {
				t.Errorf("%s/%s: steps = %d settings = %d", c.ID, lang, len(rep.Steps), len(rep.Settings))
			}
			if len(c.Variants) > 0 && len(rep.Actions) != len(c.Variants) {
				t.Errorf("%s/%s: %d choices for %d variants", c.ID, lang, len(rep.Actions), len(c.Variants))
			}
		}
	}
}

func hasNote(r *bot.Reply, sub string) bool {
	for _, n := range r.Notes {
		if strings.Contains(n.Text, sub) {
			return true
		}
	}
	return false
}
