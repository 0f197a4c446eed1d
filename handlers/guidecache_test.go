package handlers

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// cachedAndRendered fails when the cached guide of client for the parsed
// request differs from the one rendered for that very account; it asks
// twice, so that the second answer comes from the cache.
func cachedAndRendered(t *testing.T, g *guides, loc bot.Localizer, dir Directory, client knowledge.Client, p bot.Parsed) {
	t.Helper()
	acct := accountFor(dir, p)
	want := renderGuide(loc, client, acct)
	for range 2 {
		got := g.reply(loc, client, acct)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s, %s, %+v: the cached guide differs from the rendered one:\ngot  %+v\nwant %+v", loc.Lang(), client.ID, p, got, want)
		}
		// The copy is the caller's: changing it leaves the cache as it was.
		got.Title = "changed"
		for i := range got.Steps {
			got.Steps[i].Text = "changed"
			for j := range got.Steps[i].Fields {
				got.Steps[i].Fields[j].Value = "changed"
			}
		}
		for i := range got.Settings {
			for j := range got.Settings[i].Fields {
				got.Settings[i].Fields[j].Value = "changed"
			}
		}
		got.Notes = append(got.Notes[:0], bot.Note{Text: "changed"})
	}
}

// TestGuidesCachedAsRendered: for every client, language, kind of
// account (an address of a configured domain, with a sub-address, of
// another domain, a server name, nothing) and one address after another
// at the same domain, the cached guide is the rendered one.
func TestGuidesCachedAsRendered(t *testing.T) {
	cfg, cat := testSetup(t)
	g := newGuides(maxGuides)
	parsed := []bot.Parsed{
		{Address: bot.Address{Local: "alice", Domain: "domaine.com"}},
		{Address: bot.Address{Local: "bob", Domain: "domaine.com"}},
		{Address: bot.Address{Local: "alice", Tag: "mobile", Domain: "domaine.com"}},
		{Address: bot.Address{Local: "jean.dupont", Domain: "paris.example.org"}},
		{Address: bot.Address{Local: "zoë", Domain: "exemple.fr"}},
		{Host: "bm.domaine.com"},
		{Host: "example.org"},
		{Host: "mail.unknown.example"},
		{},
	}
	n := 0
	for _, lang := range cat.Languages() {
		loc := cat.For(lang)
		for _, c := range knowledge.Clients() {
			for _, p := range parsed {
				cachedAndRendered(t, g, loc, cfg.Directory, c, p)
				n++
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}

// TestGuidesBounded: the cache holds at most its maximum.
func TestGuidesBounded(t *testing.T) {
	cfg, cat := testSetup(t)
	g := newGuides(3)
	for _, lang := range cat.Languages() {
		for _, c := range knowledge.Clients() {
			cachedAndRendered(t, g, cat.For(lang), cfg.Directory, c, bot.Parsed{Address: bot.Address{Local: "alice", Domain: "domaine.com"}})
			if len(g.m) > 3 {
				t.Fatalf("%d guides cached", len(g.m))
			}
		}
	}
}

// TestNoStandInInMessages: no message holds the NUL byte the stand-ins
// are made of.
func TestNoStandInInMessages(t *testing.T) {
	_, cat := testSetup(t)
	for _, lang := range cat.Languages() {
		loc := cat.For(lang)
		for _, id := range cat.MessageIDs(lang) {
			if strings.IndexByte(loc.Text(id, nil), 0) >= 0 {
				t.Errorf("%s: %s holds a NUL byte", lang, id)
			}
		}
	}
}

// FuzzGuidesCachedAsRendered: whatever the address's parts, the cached
// guide is the rendered one.
func FuzzGuidesCachedAsRendered(f *testing.F) {
	f.Add("alice", "", "domaine.com", 0, 0)
	f.Add("bob", "mobile", "paris.example.org", 1, 2)
	f.Add("a\x00a\x00", "\x00l\x00", "exemple.fr", 2, 3)
	f.Add("zoë", "x", "", 3, 5)
	cfg, cat := testSetup(f)
	g := newGuides(16)
	langs, clients := cat.Languages(), knowledge.Clients()
	f.Fuzz(func(t *testing.T, local, tag, domain string, lang, client int) {
		if lang < 0 || client < 0 {
			return
		}
		p := bot.Parsed{Address: bot.Address{Local: local, Tag: tag, Domain: domain}}
		cachedAndRendered(t, g, cat.For(langs[lang%len(langs)]), cfg.Directory, clients[client%len(clients)], p)
	})
}
